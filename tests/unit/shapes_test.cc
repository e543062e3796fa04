// Every export shape, identified from content, mapped onto the same EventView. Fixtures are
// written here (small, hand-made after the layouts in formats.md), never copied from the
// shared real exports.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>

#include "record/record.h"
#include "test_support.h"

using namespace azd;

namespace {

// An event with every view copied out, plus the raw fields a test asked for.
struct Ev {
  record::Ticks time = record::kNoTime;
  record::Status status = record::Status::none;
  std::string time_text, operation, operation_display, status_text, substatus, status_message, caller,
      caller_ip, resource_id, subscription, resource_group, provider, resource_type, resource_name,
      category, level, correlation_id, operation_id, event_id, event_name, http_method, tenant_id, app_id,
      authorization_action, authorization_scope;
  std::uint64_t line = 0;
  std::map<std::string, std::string> raw;  // path -> value ("<absent>" when missing)
};

struct Out {
  record::ReadResult result;
  std::vector<Ev> events;
  input::Encoding encoding = input::Encoding::utf8;
};

Out read(std::string_view bytes, std::vector<std::string> raw_paths = {}) {
  Out out;
  input::Buffer buf;
  std::string err;
  REQUIRE(input::buffer_from_bytes(bytes, input::OpenOptions{}, &buf, &err));
  out.encoding = buf.encoding();
  record::Reader reader;
  out.result = reader.read(buf.text(), [&](const record::EventView& v) {
    Ev e;
    e.time = v.time;
    e.status = v.status;
    auto s = [](std::string_view x) { return std::string(x); };
    e.time_text = s(v.time_text), e.operation = s(v.operation), e.operation_display = s(v.operation_display);
    e.status_text = s(v.status_text), e.substatus = s(v.substatus), e.status_message = s(v.status_message);
    e.caller = s(v.caller), e.caller_ip = s(v.caller_ip), e.resource_id = s(v.resource_id);
    e.subscription = s(v.subscription), e.resource_group = s(v.resource_group), e.provider = s(v.provider);
    e.resource_type = s(v.resource_type), e.resource_name = s(v.resource_name), e.category = s(v.category);
    e.level = s(v.level), e.correlation_id = s(v.correlation_id), e.operation_id = s(v.operation_id);
    e.event_id = s(v.event_id), e.event_name = s(v.event_name), e.http_method = s(v.http_method);
    e.tenant_id = s(v.tenant_id), e.app_id = s(v.app_id);
    e.authorization_action = s(v.authorization_action), e.authorization_scope = s(v.authorization_scope);
    e.line = v.source->line_of(v.offset);
    for (const std::string& p : raw_paths) {
      std::string value;
      e.raw[p] = v.source->raw_field(p, &value) ? value : "<absent>";
    }
    out.events.push_back(std::move(e));
  });
  CHECK(out.result.records == out.result.events + out.result.skipped);
  CHECK(out.result.events == out.events.size());
  return out;
}

std::string utf16(std::string_view ascii, bool big_endian) {
  std::string out = big_endian ? "\xFE\xFF" : "\xFF\xFE";
  for (char c : ascii) {
    if (big_endian) out += '\0', out += c;
    else out += c, out += '\0';
  }
  return out;
}


std::string crlf(std::string_view lf) {
  std::string out;
  for (char c : lf) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

// ---- fixtures ----

constexpr std::string_view kStorageLine =
    R"({"time":"2019-10-24T00:13:46.3554259Z","resourceId":"/SUBSCRIPTIONS/S1/RESOURCEGROUPS/RG1/PROVIDERS/MICROSOFT.COMPUTE/VIRTUALMACHINES/VM1","operationName":"MICROSOFT.COMPUTE/VIRTUALMACHINES/DELETE","category":"Administrative","resultType":"Success","resultSignature":"Succeeded.NoContent","callerIpAddress":"203.0.113.9","correlationId":"c-1","identity":{"claims":{"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn":"eve@contoso.com"}},"level":"Information"})";

// Portal CSV, current layout: the real header; JSON cells pretty-printed over several lines
// with doubled quotes; US 12-hour times; Start/Success statuses.
constexpr std::string_view kCsvHeader =
    "$table,TenantId,SourceSystem,CallerIpAddress,CategoryValue,CorrelationId,Authorization,Authorization_d,Claims,"
    "Claims_d,Level,OperationNameValue,Properties,Properties_d,Caller,EventDataId,EventSubmissionTimestamp [UTC],"
    "HTTPRequest,OperationId,ResourceGroup,ResourceProviderValue,ActivityStatusValue,ActivitySubstatusValue,"
    "Hierarchy,TimeGenerated [UTC],SubscriptionId,OperationName,ActivityStatus,ActivitySubstatus,Category,"
    "ResourceId,ResourceProvider,Resource,Type,_ResourceId,OperationVersion,ResultType,ResultSignature,"
    "ResultDescription,DurationMs,Identity,Location,AdditionalDetails,Id,InitiatedBy,LoggedByService,Result\n";

std::string csv_row(std::string_view status, std::string_view substatus, std::string_view time,
                    std::string_view properties_json) {
  std::string quoted_props = "\"";
  for (char c : properties_json) {
    quoted_props += c;
    if (c == '"') quoted_props += '"';
  }
  quoted_props += '"';
  return std::string("AzureActivity,tenant-1,Azure,198.51.100.7,Administrative,corr-1,") +
         "\"{\n  \"\"scope\"\": \"\"/subscriptions/s1/resourceGroups/RG1/providers/Microsoft.Compute/virtualMachines/vm1\"\",\n"
         "  \"\"action\"\": \"\"Microsoft.Compute/virtualMachines/delete\"\"\n}\",,"
         "\"{\n  \"\"appid\"\": \"\"app-9\"\",\n  \"\"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn\"\": \"\"adele@contoso.com\"\"\n}\",,"
         "Informational,MICROSOFT.COMPUTE/VIRTUALMACHINES/DELETE," +
         quoted_props + ",,adele@contoso.com,ed-1,\"4/28/2021, 2:36:53.267 PM\",\"{\"\"clientIpAddress\"\":\"\"198.51.100.7\"\",\"\"method\"\":\"\"DELETE\"\"}\",op-1,VM-RG,MICROSOFT.COMPUTE," +
         std::string(status) + "," + std::string(substatus) + ",t/mg/s1,\"" + std::string(time) +
         "\",s1,,,,,,,,AzureActivity,/subscriptions/s1/resourcegroups/vm-rg/providers/microsoft.compute/virtualmachines/vm1,,,,,,,,,,,,\n";
}

// Legacy layout: display names only, ActivityStatus text, substatus with the HTTP code.
constexpr std::string_view kLegacyCsv =
    "OperationName,Level,ActivityStatus,ActivitySubstatus,ResourceGroup,SubscriptionId,CorrelationId,Caller,"
    "CallerIpAddress,Category,HTTPRequest,Properties,EventSubmissionTimestamp [UTC],Authorization,ResourceId,"
    "OperationId,ResourceProvider,Resource,EventDataId,TimeGenerated [UTC]\n"
    "Delete Web App,Informational,Succeeded,OK (HTTP Status Code: 200),rg1,s1,corr-7,bob@contoso.com,192.0.2.1,"
    "Administrative,\"{\"\"clientIpAddress\"\":\"\"192.0.2.1\"\",\"\"method\"\":\"\"DELETE\"\"}\","
    "\"{\"\"message\"\":\"\"Microsoft.Web/connections/delete\"\",\"\"statusCode\"\":\"\"OK\"\"}\","
    "\"1/9/2021, 9:41:00 AM\",\"{\"\"action\"\":\"\"Microsoft.Resources/subscriptions/resourceGroups/delete\"\","
    "\"\"scope\"\":\"\"/subscriptions/s1/resourceGroups/rg1\"\"}\",/subscriptions/s1/resourceGroups/rg1/providers/"
    "Microsoft.Web/connections/c1,op-7,Microsoft.Web,c1,ed-7,\"1/9/2021, 9:41:00 AM\"\n"
    "Delete Virtual Machine,Informational,Accepted,Accepted (HTTP Status Code: 202),rg1,s1,corr-8,bob@contoso.com,"
    "192.0.2.1,Administrative,,,\"1/9/2021, 9:42:00 AM\",\"{\"\"action\"\":\"\"Microsoft.Compute/virtualMachines/delete\"\"}\","
    "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm2,op-8,Microsoft.Compute,vm2,"
    "ed-8,\"1/9/2021, 12:42:00 PM\"\n";

// Log Analytics query API: positional rows, JSON in string columns, dynamic twins null.
constexpr std::string_view kTables = R"({"tables": [{"name": "PrimaryResult", "columns": [
  {"name": "TenantId", "type": "string"}, {"name": "CallerIpAddress", "type": "string"},
  {"name": "CategoryValue", "type": "string"}, {"name": "CorrelationId", "type": "string"},
  {"name": "Authorization", "type": "string"}, {"name": "Authorization_d", "type": "dynamic"},
  {"name": "Claims", "type": "string"}, {"name": "Level", "type": "string"},
  {"name": "OperationNameValue", "type": "string"}, {"name": "Properties", "type": "string"},
  {"name": "Properties_d", "type": "dynamic"}, {"name": "Caller", "type": "string"},
  {"name": "EventDataId", "type": "string"}, {"name": "ActivityStatusValue", "type": "string"},
  {"name": "ActivitySubstatusValue", "type": "string"}, {"name": "TimeGenerated", "type": "datetime"},
  {"name": "SubscriptionId", "type": "string"}, {"name": "ResourceGroup", "type": "string"},
  {"name": "DurationMs", "type": "long"}, {"name": "_ResourceId", "type": "string"}],
 "rows": [
  ["t-1", "192.0.2.44", "Administrative", "corr-2", "{\"action\":\"Microsoft.Authorization/roleAssignments/write\",\"scope\":\"/subscriptions/s2\"}", null,
   "", "Informational", "Microsoft.Authorization/roleAssignments/write",
   "{\"statusCode\":\"Created\",\"statusMessage\":\"{\\\"error\\\":{\\\"code\\\":\\\"Nope\\\"}}\",\"eventCategory\":\"Administrative\"}", null,
   "wazuh@contoso.com", "ed-2", "Succeeded", "Created", "2022-06-03T14:06:41.181Z", "s2", "rg2", 12,
   "/subscriptions/s2/resourcegroups/rg2/providers/microsoft.authorization/roleassignments/ra1"],
  ["t-1", "192.0.2.44", "Administrative", "corr-2", null, {"action":"Microsoft.Authorization/roleAssignments/write"},
   "", "Informational", "Microsoft.Authorization/roleAssignments/write", "", {"statusCode":"Accepted"},
   "wazuh@contoso.com", "ed-3", "Started", "", "2022-06-03T14:06:40.5Z", "s2", "rg2", 0, ""]
 ]}]})";

// PowerShell 5.1 Get-AzActivityLog | ConvertTo-Json (formats.md §3.f1).
constexpr std::string_view kPowerShell = R"([
  {
    "Authorization": {"Action": "Microsoft.Compute/virtualMachines/delete", "Role": null, "Scope": "/subscriptions/s3/resourceGroups/rg3/providers/Microsoft.Compute/virtualMachines/vm3"},
    "Claims": {"Content": {"appid": "app-3", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn": "ps@contoso.com"}},
    "HttpRequest": {"ClientId": "x", "Method": "DELETE", "Url": null, "ClientIpAddress": "203.0.113.7"},
    "Properties": {"Content": {"statusCode": "Accepted", "statusMessage": "{\"error\":{\"code\":\"ScopeLocked\"}}", "message": "Microsoft.Compute/virtualMachines/delete"}},
    "Level": 3,
    "SubmissionTimestamp": "\/Date(1771810830000)\/",
    "EventTimestamp": "\/Date(1771810761641)\/",
    "Caller": "", "CorrelationId": "corr-3", "Description": "", "EventDataId": "ed-4",
    "EventName": {"Value": "EndRequest", "LocalizedValue": "End request"},
    "Category": {"Value": "Administrative", "LocalizedValue": "Administrative"},
    "Id": "/x/events/ed-4/ticks/1", "OperationId": "op-3",
    "OperationName": {"Value": "Microsoft.Compute/virtualMachines/delete", "LocalizedValue": "Delete Virtual Machine"},
    "ResourceGroupName": "rg3", "ResourceProviderName": {"Value": "Microsoft.Compute", "LocalizedValue": "Microsoft.Compute"},
    "ResourceId": "/subscriptions/s3/resourceGroups/rg3/providers/Microsoft.Compute/virtualMachines/vm3",
    "ResourceType": {"Value": "Microsoft.Compute/virtualMachines", "LocalizedValue": "x"},
    "Status": {"Value": "Accepted", "LocalizedValue": "Accepted"}, "SubStatus": {"Value": "", "LocalizedValue": ""},
    "SubscriptionId": "s3", "TenantId": "t-3"
  }
])";

// Azure SDK for Python as_dict(), snake_case, written as JSON Lines.
constexpr std::string_view kSdkLine =
    R"j({"authorization": {"action": "Microsoft.KeyVault/vaults/delete", "scope": "/subscriptions/s4"}, "caller": "sdk@contoso.com", "category": {"value": "Administrative", "localized_value": "Administrative"}, "correlation_id": "corr-4", "event_data_id": "ed-5", "event_name": {"value": "EndRequest"}, "event_timestamp": "2024-03-01T10:00:00.123456+00:00", "http_request": {"client_request_id": "r", "client_ip_address": "192.0.2.77", "method": "DELETE"}, "level": "Informational", "operation_id": "op-4", "operation_name": {"value": "Microsoft.KeyVault/vaults/delete", "localized_value": "Delete Key Vault"}, "properties": {"statusCode": "OK"}, "resource_group_name": "rg4", "resource_id": "/subscriptions/s4/resourceGroups/rg4/providers/Microsoft.KeyVault/vaults/kv4", "status": {"value": "Succeeded"}, "sub_status": {"value": "OK", "localized_value": "OK (HTTP Status Code: 200)"}, "subscription_id": "s4", "tenant_id": "t-4"})j";

// REST / az CLI event (camelCase, {value, localizedValue}).
constexpr std::string_view kRestEvent =
    R"j({"authorization":{"action":"Microsoft.Network/networkSecurityGroups/securityRules/delete","scope":"/subscriptions/s5/resourceGroups/rg5/providers/Microsoft.Network/networkSecurityGroups/nsg/securityRules/r"},"caller":"rest@contoso.com","category":{"value":"Administrative","localizedValue":"Administrative"},"correlationId":"corr-5","eventDataId":"ed-6","eventName":{"value":"EndRequest","localizedValue":"End request"},"eventTimestamp":"2026-02-23T01:39:21Z","httpRequest":{"clientIpAddress":"61.74.134.121","method":"DELETE"},"level":"Error","operationId":"op-5","operationName":{"value":"Microsoft.Network/networkSecurityGroups/securityRules/delete","localizedValue":"Delete Security Rule"},"properties":{"statusCode":"Conflict","statusMessage":"{\"error\":{\"code\":\"ScopeLocked\"}}"},"resourceGroupName":"rg5","resourceId":"/subscriptions/s5/resourceGroups/rg5/providers/Microsoft.Network/networkSecurityGroups/nsg/securityRules/r","status":{"value":"Failed","localizedValue":"Failed"},"subStatus":{"value":"Conflict","localizedValue":"Conflict (HTTP Status Code: 409)"},"subscriptionId":"s5"})j";

}  // namespace

// ---- shapes and their field mapping ----

TEST_CASE("a Log Analytics CSV export maps every column onto the event", "[shape][csv]") {
  const std::string props = "{\n  \"statusCode\": \"Conflict\",\n  \"statusMessage\": \"{\\\"error\\\":{\\\"code\\\":\\\"ScopeLocked\\\"}}\",\n  \"eventCategory\": \"Administrative\",\n  \"message\": \"Microsoft.Compute/virtualMachines/delete\"\n}";
  const std::string csv = "\xEF\xBB\xBF" + std::string(kCsvHeader) + csv_row("Start", "", "4/28/2021, 2:36:53.042 PM", props) +
                          csv_row("Failure", "Conflict", "4/28/2021, 12:05:00 AM", props);
  auto r = read(csv, {"TimeGenerated", "Properties.statusMessage.error.code", "properties.eventCategory",
                      "HTTPRequest.method", "Claims_d", "EventSubmissionTimestamp"});
  CHECK(r.result.shape == record::Shape::la_csv);
  CHECK(r.encoding == input::Encoding::utf8_bom);
  CHECK(r.result.activity_log);
  CHECK(r.result.skipped == 0);
  REQUIRE(r.events.size() == 2);
  const Ev& e = r.events[0];
  CHECK(record::format_time(e.time) == "2021-04-28T14:36:53.0420000Z");
  CHECK(e.operation == "MICROSOFT.COMPUTE/VIRTUALMACHINES/DELETE");
  CHECK(e.status == record::Status::started);
  CHECK(e.caller == "adele@contoso.com");
  CHECK(e.caller_ip == "198.51.100.7");
  CHECK(e.app_id == "app-9");
  CHECK(e.http_method == "DELETE");
  CHECK(e.category == "Administrative");
  CHECK(e.level == "Informational");
  CHECK(e.correlation_id == "corr-1");
  CHECK(e.operation_id == "op-1");
  CHECK(e.event_id == "ed-1");
  CHECK(e.tenant_id == "tenant-1");
  CHECK(e.resource_id == "/subscriptions/s1/resourcegroups/vm-rg/providers/microsoft.compute/virtualmachines/vm1");
  CHECK(e.subscription == "s1");
  CHECK(e.resource_group == "VM-RG");
  CHECK(e.provider == "MICROSOFT.COMPUTE");
  CHECK(e.resource_type == "microsoft.compute/virtualmachines");  // parsed from _ResourceId
  CHECK(e.resource_name == "vm1");
  CHECK(e.authorization_action == "Microsoft.Compute/virtualMachines/delete");
  CHECK(e.authorization_scope == "/subscriptions/s1/resourceGroups/RG1/providers/Microsoft.Compute/virtualMachines/vm1");
  CHECK(e.status_message == R"({"error":{"code":"ScopeLocked"}})");
  CHECK(e.substatus == "Conflict");  // from Properties.statusCode when the column is empty
  CHECK(e.raw.at("TimeGenerated") == "4/28/2021, 2:36:53.042 PM");
  CHECK(e.raw.at("Properties.statusMessage.error.code") == "ScopeLocked");
  CHECK(e.raw.at("properties.eventCategory") == "Administrative");
  CHECK(e.raw.at("HTTPRequest.method") == "DELETE");
  CHECK(e.raw.at("Claims_d") == "<absent>");
  CHECK(e.raw.at("EventSubmissionTimestamp") == "4/28/2021, 2:36:53.267 PM");
  CHECK(e.line == 2);
  const Ev& f = r.events[1];
  CHECK(f.status == record::Status::failed);
  CHECK(f.substatus == "Conflict");
  CHECK(record::format_time(f.time) == "2021-04-28T00:05:00.0000000Z");
  // The first row spans several lines (multi-line quoted cells): the second starts later.
  CHECK(f.line > 2 + 4);
}

TEST_CASE("a legacy-layout CSV derives the operation from Properties.message or Authorization.action",
          "[shape][csv]") {
  auto r = read(kLegacyCsv, {"Properties.message", "Authorization.scope"});
  CHECK(r.result.shape == record::Shape::la_csv);
  CHECK(r.result.detail.find("legacy") != std::string::npos);
  REQUIRE(r.events.size() == 2);
  // A cascaded delete: Properties.message names the child, Authorization.action the group.
  CHECK(r.events[0].operation == "Microsoft.Web/connections/delete");
  CHECK(r.events[0].operation_display == "Delete Web App");
  CHECK(r.events[0].status == record::Status::succeeded);
  CHECK(r.events[0].substatus == "OK");
  CHECK(r.events[0].resource_type == "Microsoft.Web/connections");
  CHECK(record::format_time(r.events[0].time) == "2021-01-09T09:41:00.0000000Z");
  CHECK(r.events[0].raw.at("Authorization.scope") == "/subscriptions/s1/resourceGroups/rg1");
  CHECK(r.events[1].operation == "Microsoft.Compute/virtualMachines/delete");
  CHECK(r.events[1].status == record::Status::accepted);
  CHECK(r.events[1].substatus == "Accepted");
  CHECK(r.events[1].raw.at("Properties.message") == "<absent>");
  CHECK(record::format_time(r.events[1].time) == "2021-01-09T12:42:00.0000000Z");
}

TEST_CASE("Log Analytics query API tables map positional rows and JSON in string columns",
          "[shape][tables]") {
  auto r = read(kTables, {"Properties.statusMessage.error.code", "properties.statusCode", "DurationMs",
                          "Authorization.action"});
  CHECK(r.result.shape == record::Shape::la_tables);
  REQUIRE(r.events.size() == 2);
  const Ev& e = r.events[0];
  CHECK(e.operation == "Microsoft.Authorization/roleAssignments/write");
  CHECK(e.status == record::Status::succeeded);
  CHECK(e.substatus == "Created");
  CHECK(e.caller == "wazuh@contoso.com");
  CHECK(e.caller_ip == "192.0.2.44");
  CHECK(record::format_time(e.time) == "2022-06-03T14:06:41.1810000Z");
  CHECK(e.authorization_action == "Microsoft.Authorization/roleAssignments/write");
  CHECK(e.status_message == R"({"error":{"code":"Nope"}})");
  CHECK(e.resource_group == "rg2");
  CHECK(e.resource_name == "ra1");
  CHECK(e.raw.at("Properties.statusMessage.error.code") == "Nope");
  CHECK(e.raw.at("DurationMs") == "12");
  // The second row has null string columns and the JSON in the dynamic twins.
  const Ev& g = r.events[1];
  CHECK(g.status == record::Status::started);
  CHECK(g.authorization_action == "Microsoft.Authorization/roleAssignments/write");
  CHECK(g.substatus == "Accepted");
  CHECK(g.raw.at("properties.statusCode") == "Accepted");
  CHECK(g.raw.at("Authorization.action") == "Microsoft.Authorization/roleAssignments/write");
}

TEST_CASE("PowerShell ConvertTo-Json events map PascalCase, Content wrappers, /Date()/ and integer levels",
          "[shape][powershell]") {
  auto r = read(utf16(kPowerShell, false), {"Properties.Content.statusCode", "claims.content.appid"});
  CHECK(r.encoding == input::Encoding::utf16le_bom);
  CHECK(r.result.shape == record::Shape::json_array);
  CHECK(r.result.detail.find("PowerShell") != std::string::npos);
  REQUIRE(r.events.size() == 1);
  const Ev& e = r.events[0];
  CHECK(record::format_time(e.time) == "2026-02-23T01:39:21.6410000Z");
  CHECK(e.operation == "Microsoft.Compute/virtualMachines/delete");
  CHECK(e.operation_display == "Delete Virtual Machine");
  CHECK(e.status == record::Status::accepted);
  CHECK(e.caller == "ps@contoso.com");  // empty Caller: from Claims.Content
  CHECK(e.app_id == "app-3");
  CHECK(e.caller_ip == "203.0.113.7");
  CHECK(e.http_method == "DELETE");
  CHECK(e.level == "Informational");
  CHECK(e.substatus == "Accepted");
  CHECK(e.status_message == R"({"error":{"code":"ScopeLocked"}})");
  CHECK(e.resource_group == "rg3");
  CHECK(e.provider == "Microsoft.Compute");
  CHECK(e.resource_type == "Microsoft.Compute/virtualMachines");
  CHECK(e.event_name == "EndRequest");
  CHECK(e.tenant_id == "t-3");
  CHECK(e.raw.at("Properties.Content.statusCode") == "Accepted");
  CHECK(e.raw.at("claims.content.appid") == "app-3");
}

TEST_CASE("Azure SDK as_dict() dumps map snake_case keys", "[shape][sdk]") {
  auto r = read(std::string(kSdkLine) + "\n" + std::string(kSdkLine) + "\n", {"http_request.client_ip_address"});
  CHECK(r.result.shape == record::Shape::json_lines);
  CHECK(r.result.detail.find("snake_case") != std::string::npos);
  REQUIRE(r.events.size() == 2);
  const Ev& e = r.events[0];
  CHECK(record::format_time(e.time) == "2024-03-01T10:00:00.1234560Z");
  CHECK(e.operation == "Microsoft.KeyVault/vaults/delete");
  CHECK(e.operation_display == "Delete Key Vault");
  CHECK(e.status == record::Status::succeeded);
  CHECK(e.substatus == "OK");
  CHECK(e.caller == "sdk@contoso.com");
  CHECK(e.caller_ip == "192.0.2.77");
  CHECK(e.correlation_id == "corr-4");
  CHECK(e.event_id == "ed-5");
  CHECK(e.operation_id == "op-4");
  CHECK(e.resource_group == "rg4");
  CHECK(e.resource_name == "kv4");
  CHECK(e.category == "Administrative");
  CHECK(e.raw.at("http_request.client_ip_address") == "192.0.2.77");
}

TEST_CASE("REST pages are read one page or several concatenated", "[shape][rest]") {
  const std::string page = "{\"value\":[" + std::string(kRestEvent) + "," + std::string(kRestEvent) +
                           "],\"nextLink\":\"https://management.azure.com/next\"}";
  auto one = read(page);
  CHECK(one.result.shape == record::Shape::value_page);
  CHECK(one.events.size() == 2);
  auto two = read(page + "\n" + page + "\n");
  CHECK(two.events.size() == 4);
  CHECK(two.result.issues.empty());
  // nextLink first: key order follows the service.
  auto swapped = read("{\"nextLink\":null,\"value\":[" + std::string(kRestEvent) + "]}");
  CHECK(swapped.result.shape == record::Shape::value_page);
  CHECK(swapped.events.size() == 1);
  const Ev& e = one.events[0];
  CHECK(e.status == record::Status::failed);
  CHECK(e.substatus == "Conflict");
  CHECK(e.operation_display == "Delete Security Rule");
  CHECK(record::format_time(e.time) == "2026-02-23T01:39:21.0000000Z");
}

TEST_CASE("az CLI arrays written page after page are all read", "[shape][cli]") {
  const std::string arr = "[\n" + std::string(kRestEvent) + "\n]";
  auto r = read(arr + "\n" + arr + "\n");
  CHECK(r.result.shape == record::Shape::json_array);
  CHECK(r.result.detail.find("camelCase") != std::string::npos);
  CHECK(r.events.size() == 2);
}

TEST_CASE("an Extractor-Suite single event is a bare object, with a BOM", "[shape][single]") {
  auto r = read("\xEF\xBB\xBF" + std::string(kRestEvent) + "\r\n");
  CHECK(r.result.shape == record::Shape::single_object);
  CHECK(r.encoding == input::Encoding::utf8_bom);
  REQUIRE(r.events.size() == 1);
  CHECK(r.events[0].caller == "rest@contoso.com");
}

TEST_CASE("a stray word line before a pretty-printed record is passed over", "[shape][single]") {
  auto r = read("Content\n{\n  \"time\": \"2024-01-01T00:00:00Z\",\n  \"operationName\": \"MICROSOFT.WEB/SITES/DELETE\",\n"
                "  \"category\": \"Administrative\",\n  \"resultType\": \"Success\"\n}\n");
  CHECK(r.result.shape == record::Shape::single_object);
  REQUIRE(r.events.size() == 1);
  CHECK(r.events[0].line == 2);
  CHECK(r.events[0].status == record::Status::succeeded);
}

TEST_CASE("Event Hub batches with legacy categories take the category from properties.eventCategory",
          "[shape][eventhub]") {
  const std::string rec =
      R"({"time":"2018-03-07T14:23:51.991Z","resourceId":"/SUBSCRIPTIONS/S6/RESOURCEGROUPS/RG6/PROVIDERS/MICROSOFT.WEB/SITES/APP/CONFIG/APPSETTINGS","operationName":"MICROSOFT.WEB/SITES/CONFIG/WRITE","category":"Write","resultType":"Start","resultSignature":"Started.","callerIpAddress":"111.93.54.106","identity":{"authorization":{"action":"Microsoft.Web/sites/config/write","scope":"/subscriptions/s6"},"claims":{"name":"n","http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name":"abc@contoso.com"}},"level":"Information","properties":{"eventCategory":"Administrative"}})";
  auto r = read("{\"records\":[" + rec + ",\n" + rec + "]}\n{\"records\":[" + rec + "]}");
  CHECK(r.result.shape == record::Shape::records_envelope);
  CHECK(r.result.detail.find("storage") != std::string::npos);
  REQUIRE(r.events.size() == 3);
  const Ev& e = r.events[0];
  CHECK(e.category == "Administrative");
  CHECK(e.status == record::Status::started);
  CHECK(e.caller == "abc@contoso.com");
  CHECK(e.authorization_action == "Microsoft.Web/sites/config/write");
  CHECK(e.resource_type == "MICROSOFT.WEB/SITES/CONFIG");
  CHECK(e.resource_name == "APPSETTINGS");
  CHECK(record::format_time(e.time) == "2018-03-07T14:23:51.9910000Z");
}

TEST_CASE("a legacy category without eventCategory is kept as written", "[shape][eventhub]") {
  auto r = read(R"({"time":"2019-10-24T00:13:46Z","operationName":"X/Y/ACTION","category":"Action","resultType":"Start"})"
                "\n");
  REQUIRE(r.events.size() == 1);
  CHECK(r.events[0].category == "Action");
}

TEST_CASE("storage JSON Lines with CRLF line ends are read line by line", "[shape][jsonl]") {
  auto r = read(std::string(kStorageLine) + "\r\n" + std::string(kStorageLine) + "\r\n");
  CHECK(r.result.shape == record::Shape::json_lines);
  REQUIRE(r.events.size() == 2);
  CHECK(r.events[1].line == 2);
  CHECK(r.events[0].caller == "eve@contoso.com");
}

// ---- encodings ----

TEST_CASE("every encoding of the same CSV gives the same events", "[encoding][csv]") {
  const std::string props = "{\"statusCode\":\"OK\"}";
  const std::string plain = std::string(kCsvHeader) + csv_row("Success", "OK", "4/28/2021, 2:32:14.029 PM", props);
  for (const std::string& bytes :
       {plain, "\xEF\xBB\xBF" + plain, crlf(plain), utf16(crlf(plain), false), utf16(plain, true), test::gzip_bytes(plain)}) {
    auto r = read(bytes);
    CHECK(r.result.shape == record::Shape::la_csv);
    REQUIRE(r.events.size() == 1);
    CHECK(r.events[0].operation == "MICROSOFT.COMPUTE/VIRTUALMACHINES/DELETE");
    CHECK(record::format_time(r.events[0].time) == "2021-04-28T14:32:14.0290000Z");
    CHECK(r.events[0].resource_name == "vm1");  // no stray \r at the end of the row
  }
}

TEST_CASE("a CSV in a legacy code page is decoded and the encoding reported", "[encoding][csv]") {
  std::string legacy(kLegacyCsv);
  legacy.replace(legacy.find("bob@contoso.com"), 3, "\xC7\xDD");  // "ÇÝ" in Windows-1252
  auto r = read(legacy);
  CHECK(r.encoding == input::Encoding::cp1252);
  REQUIRE(r.events.size() == 2);
  CHECK(r.events[0].caller == "\xC3\x87\xC3\x9D@contoso.com");
}

TEST_CASE("a UTF-16BE az CLI array is transcoded and read", "[encoding][cli]") {
  auto r = read(utf16("[\r\n" + std::string(kRestEvent) + "\r\n]\r\n", true));
  CHECK(r.encoding == input::Encoding::utf16be_bom);
  REQUIRE(r.events.size() == 1);
  CHECK(r.events[0].caller_ip == "61.74.134.121");
}

// ---- damage ----

TEST_CASE("a CSV whose last row is cut inside a quoted cell keeps the whole rows", "[damage][csv]") {
  const std::string props = "{\"statusCode\":\"OK\"}";
  const std::string row = csv_row("Success", "OK", "4/28/2021, 2:32:14.029 PM", props);
  auto r = read(std::string(kCsvHeader) + row + row.substr(0, row.size() / 3));
  CHECK(r.events.size() == 1);
  CHECK(r.result.skipped == 1);
  REQUIRE(r.result.issues.size() == 1);
  CHECK(r.result.issues[0].reason.find("truncated") != std::string::npos);
  CHECK(r.result.issues[0].line == 2 + 7);  // the row of the first event spans 7 lines
}

TEST_CASE("a CSV row with the wrong number of fields is skipped with its line", "[damage][csv]") {
  std::string text(kLegacyCsv);
  text.insert(text.find("Delete Virtual Machine"), "oops,only,three\n");
  auto r = read(text);
  CHECK(r.events.size() == 2);
  CHECK(r.result.skipped == 1);
  REQUIRE(r.result.issues.size() == 1);
  CHECK(r.result.issues[0].line == 3);
  CHECK(r.result.issues[0].reason == "row has 3 fields, the header has 20");
}

TEST_CASE("a CSV cell with text after its closing quote is reported and reading resumes", "[damage][csv]") {
  std::string text(kLegacyCsv);
  text.insert(text.find("Delete Virtual Machine"), "\"bad\"x,1\n");
  auto r = read(text);
  CHECK(r.events.size() == 2);
  CHECK(r.result.skipped == 1);
  REQUIRE_FALSE(r.result.issues.empty());
  CHECK(r.result.issues[0].reason.find("closing quote") != std::string::npos);
}

TEST_CASE("a truncated Log Analytics response keeps its whole rows", "[damage][tables]") {
  const std::string text(kTables);
  auto r = read(text.substr(0, text.find("[\"t-1\", \"192.0.2.44\", \"Administrative\", \"corr-2\", null") + 20));
  CHECK(r.events.size() == 1);
  CHECK(r.result.skipped == 1);
  REQUIRE_FALSE(r.result.issues.empty());
  CHECK(r.result.issues[0].reason.find("truncated") != std::string::npos);
}

TEST_CASE("a table row that is not an array is skipped", "[damage][tables]") {
  std::string text(kTables);
  text.insert(text.find("\"rows\": [") + 9, "\"junk\", ");
  auto r = read(text);
  CHECK(r.events.size() == 2);
  CHECK(r.result.skipped == 1);
}

// ---- not an Activity Log ----

TEST_CASE("other Azure logs in Activity Log envelopes are named, with no events", "[negative]") {
  struct Case {
    std::string text, detail;
  };
  const Case cases[] = {
      {R"({ "time": "2024-12-05T08:48:28Z", "category": "AuditEvent", "operationName": "VaultGet", "resourceId": "/SUBSCRIPTIONS/S/RESOURCEGROUPS/R/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV", "identity": {"claim":{"appid":"a"}}})"
       "\n",
       "Key Vault AuditEvent resource log, not an Activity Log"},
      {R"({"records":[{"time":"2021-12-13T05:13:25Z","systemId":"x","macAddress":"00","category":"NetworkSecurityGroupFlowEvent","operationName":"NetworkSecurityGroupFlowEvents","properties":{"flows":[]}}]})",
       "NSG flow log, not an Activity Log"},
      {R"({"records": [{"time": "2022-04-02T08:50:06Z", "resourceId": "/tenants/t/providers/Microsoft.aadiam", "operationName": "Get Guest Usages resource", "category": "AuditLogs", "identity": "509e4652", "Level": 4}]})",
       "Entra ID audit log, not an Activity Log"},
      {R"({"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#auditLogs/directoryAudits", "value": [{"id": "1", "category": "ResourceManagement", "activityDisplayName": "x", "activityDateTime": "2022-06-21T08:50:10Z", "loggedByService": "B2C"}], "@odata.nextLink": "https://graph.microsoft.com/next"})",
       "Microsoft Graph page (auditLogs/directoryAudits), not an Activity Log"},
      {"$table,TimeGenerated [UTC],OperationName,Category,ResultType\nSigninLogs,\"1/1/2024, 1:00:00 AM\",Sign-in activity,SignInLogs,0\n",
       "Log Analytics 'SigninLogs' table, not an Activity Log"},
  };
  for (const Case& c : cases) {
    auto r = read(c.text);
    CHECK(r.events.empty());
    CHECK_FALSE(r.result.activity_log);
    CHECK(r.result.detail == c.detail);
    CHECK(r.result.skipped == r.result.records);
    CHECK(r.result.records > 0);
  }
}

TEST_CASE("text that is neither JSON nor CSV is reported as not an Activity Log", "[negative]") {
  auto readme = read("# Shared data\n\nEvery file here is a copy.\n");
  CHECK(readme.result.shape == record::Shape::unknown);
  CHECK_FALSE(readme.result.activity_log);
  CHECK_FALSE(readme.result.fatal);
  CHECK(readme.result.detail == "not an Activity Log export: neither JSON nor CSV (plain text?)");
  auto csv = read("name,size\na,1\n");
  CHECK_FALSE(csv.result.activity_log);
  CHECK(csv.result.detail.find("CSV") != std::string::npos);
  auto export_csv = read("#TYPE Microsoft.Azure.Commands.Insights.OutputClasses.PSEventData\n\"Caller\",\"Level\"\n");
  CHECK_FALSE(export_csv.result.activity_log);
  CHECK(export_csv.result.detail.find("Export-Csv") != std::string::npos);
}

TEST_CASE("Activity Log events mixed with other records keep the file an Activity Log", "[negative]") {
  auto r = read(std::string(kStorageLine) + "\n" +
                R"({"time":"2024-01-01T00:00:00Z","category":"NonInteractiveUserSignInLogs","operationName":"Sign-in activity","identity":"u"})" +
                "\n");
  CHECK(r.result.activity_log);
  CHECK(r.events.size() == 1);
  CHECK(r.result.skipped == 1);
  REQUIRE(r.result.issues.size() == 1);
  CHECK(r.result.issues[0].reason == "not an Activity Log record: Entra ID sign-in log");
  CHECK(r.result.issues[0].line == 2);
}

// ---- a mixed directory in one run ----

TEST_CASE("a directory mixing JSON Lines, CSV, UTF-16 and gzip is read in one pass", "[input][mixed]") {
  char tmpl[] = "/tmp/azd_mixed_XXXXXX";
  const std::string dir = mkdtemp(tmpl);
  const std::string sub = dir + "/resourceId=/SUBSCRIPTIONS/S1/y=2024/m=01/d=01/h=00/m=00";
  REQUIRE(std::system(("mkdir -p '" + sub + "'").c_str()) == 0);
  const std::string props = "{\"statusCode\":\"OK\"}";
  std::ofstream(sub + "/PT1H.json", std::ios::binary) << kStorageLine << "\n" << kStorageLine << "\n";
  std::ofstream(dir + "/export.csv", std::ios::binary)
      << "\xEF\xBB\xBF" << kCsvHeader << csv_row("Success", "OK", "4/28/2021, 2:32:14.029 PM", props);
  std::ofstream(dir + "/cli.json", std::ios::binary) << utf16(crlf("[\n" + std::string(kRestEvent) + "\n]\n"), false);
  std::ofstream(dir + "/archive.gz", std::ios::binary) << test::gzip_bytes(kTables);
  std::vector<input::PathError> errors;
  const auto files = input::expand_paths({dir}, &errors);
  REQUIRE(files.size() == 4);
  record::Reader reader;
  std::map<std::string, std::uint64_t> events;
  std::map<std::string, record::Shape> shapes;
  for (const std::string& f : files) {
    input::Buffer buf;
    std::string err;
    REQUIRE(input::open_input(f, input::OpenOptions{}, &buf, &err));
    const auto res = reader.read(buf.text(), [](const record::EventView&) {});
    const std::string name = f.substr(f.rfind('/') + 1);
    events[name] = res.events;
    shapes[name] = res.shape;
    CHECK(res.records == res.events + res.skipped);
  }
  CHECK(events["PT1H.json"] == 2);
  CHECK(events["export.csv"] == 1);
  CHECK(events["cli.json"] == 1);
  CHECK(events["archive.gz"] == 2);
  CHECK(shapes["export.csv"] == record::Shape::la_csv);
  CHECK(shapes["archive.gz"] == record::Shape::la_tables);
  std::system(("rm -rf '" + dir + "'").c_str());
}
