#include <catch2/catch.hpp>

#include "record/record.h"
#include "test_support.h"

using namespace azd;
using azd::test::read_text;

namespace {
constexpr std::string_view kStorageLine =
    R"({"time":"2019-10-24T00:13:46.3554259Z","resourceId":"/SUBSCRIPTIONS/AAAA/RESOURCEGROUPS/RG-1/PROVIDERS/MICROSOFT.COMPUTE/VIRTUALMACHINES/VM-1","operationName":"MICROSOFT.COMPUTE/VIRTUALMACHINES/DELETE","category":"Administrative","resultType":"Success","resultSignature":"Succeeded.NoContent","callerIpAddress":"203.0.113.9","correlationId":"c-1","identity":{"authorization":{"scope":"/x","action":"Microsoft.Compute/virtualMachines/delete"},"claims":{"appid":"app-1","http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn":"eve@contoso.com"}},"level":"Information","properties":{"statusCode":"NoContent","statusMessage":"{\"error\":{\"code\":\"ScopeLocked\"}}"}})";

constexpr std::string_view kCliEvent = R"json({
    "caller": "bob@contoso.com",
    "category": {"localizedValue": "Administrative", "value": "Administrative"},
    "correlationId": "corr-9",
    "eventDataId": "ed-1",
    "eventTimestamp": "2026-02-23T01:39:21.6411294Z",
    "httpRequest": {"clientIpAddress": "61.74.134.121", "method": "DELETE"},
    "level": "Error",
    "operationId": "op-9",
    "operationName": {"localizedValue": "Delete Route", "value": "Microsoft.Network/routeTables/routes/delete"},
    "properties": {"statusCode": "Conflict", "statusMessage": "{\"error\":{\"code\":\"ScopeLocked\"}}"},
    "resourceGroupName": "rg-2",
    "resourceId": "/subscriptions/sub-2/resourceGroups/rg-2/providers/Microsoft.Network/routeTables/udr/routes/r1",
    "status": {"localizedValue": "Failed", "value": "Failed"},
    "subStatus": {"localizedValue": "Conflict (HTTP Status Code: 409)", "value": "Conflict"},
    "subscriptionId": "sub-2"
  })json";
}  // namespace

TEST_CASE("storage JSON Lines records map onto the normalised event", "[record][shape]") {
  auto r = read_text(std::string(kStorageLine) + "\n" + std::string(kStorageLine) + "\n");
  CHECK(r.result.shape == record::Shape::json_lines);
  REQUIRE(r.events.size() == 2);
  const auto& e = r.events[0];
  CHECK(record::format_time(e.time) == "2019-10-24T00:13:46.3554259Z");
  CHECK(e.operation == "MICROSOFT.COMPUTE/VIRTUALMACHINES/DELETE");
  CHECK(e.status == record::Status::succeeded);
  CHECK(e.substatus == "NoContent");
  CHECK(e.caller == "eve@contoso.com");
  CHECK(e.caller_ip == "203.0.113.9");
  CHECK(e.subscription == "AAAA");
  CHECK(e.resource_group == "RG-1");
  CHECK(e.provider == "MICROSOFT.COMPUTE");
  CHECK(e.resource_type == "MICROSOFT.COMPUTE/VIRTUALMACHINES");
  CHECK(e.resource_name == "VM-1");
  CHECK(e.correlation_id == "c-1");
  CHECK(e.app_id == "app-1");
  CHECK(e.status_message == R"({"error":{"code":"ScopeLocked"}})");
  CHECK(r.events[1].line == 2);
}

TEST_CASE("keys of every length are named, and a key with an escaped quote names nothing", "[record][keys]") {
  // The key's end is found eight bytes at a time: keys of 1 to 30 bytes put the closing
  // quote at every position of a word. An unknown key of each length comes first, so the
  // key that follows starts at every alignment too.
  for (std::size_t pad = 1; pad <= 30; ++pad) {
    INFO(pad);
    const std::string filler(pad, 'x');
    const std::string line = "{\"" + filler + "\":\"f\",\"operationName\":\"Microsoft.Compute/disks/delete\"," +
                             "\"" + filler + "\\\"time\":\"2001-01-01T00:00:00Z\"," +
                             "\"time\":\"2019-10-24T00:13:46Z\",\"" + filler + "\":1}\n";
    auto r = read_text(line);
    REQUIRE(r.events.size() == 1);
    CHECK(r.events[0].operation == "Microsoft.Compute/disks/delete");
    // `xxx\"time` is not `time`: only the key written plainly gives the event its time.
    CHECK(record::format_time(r.events[0].time) == "2019-10-24T00:13:46.0000000Z");
  }
}

TEST_CASE("az CLI arrays map value objects, caller and HTTP request", "[record][shape]") {
  auto r = read_text("[\n  " + std::string(kCliEvent) + "\n]\n");
  CHECK(r.result.shape == record::Shape::json_array);
  REQUIRE(r.events.size() == 1);
  const auto& e = r.events[0];
  CHECK(e.operation == "Microsoft.Network/routeTables/routes/delete");
  CHECK(e.status == record::Status::failed);
  CHECK(e.substatus == "Conflict");
  CHECK(e.caller == "bob@contoso.com");
  CHECK(e.caller_ip == "61.74.134.121");
  CHECK(e.resource_group == "rg-2");
  CHECK(e.resource_type == "Microsoft.Network/routeTables/routes");
  CHECK(e.resource_name == "r1");
  CHECK(e.operation_id == "op-9");
  CHECK(e.event_id == "ed-1");
  CHECK(e.level == "Error");
  CHECK(e.line == 2);
}

TEST_CASE("status synonyms from storage exports are normalised", "[record]") {
  CHECK(record::parse_status("Start") == record::Status::started);
  CHECK(record::parse_status("Accept") == record::Status::accepted);
  CHECK(record::parse_status("Success") == record::Status::succeeded);
  CHECK(record::parse_status("Failure") == record::Status::failed);
  CHECK(record::parse_status("Succeeded.Created") == record::Status::succeeded);
  CHECK(record::parse_status("FAILED") == record::Status::failed);
  CHECK(record::parse_status("Weird") == record::Status::other);
  CHECK(record::parse_status("") == record::Status::none);
}

TEST_CASE("a malformed line is reported with its line number and the rest is read", "[record][damage]") {
  std::string text = std::string(kStorageLine) + "\n{\"time\": oops}\n" + std::string(kStorageLine) + "\n";
  auto r = read_text(text);
  CHECK(r.events.size() == 2);
  CHECK(r.result.records == 3);
  CHECK(r.result.skipped == 1);
  REQUIRE(r.result.issues.size() == 1);
  CHECK(r.result.issues[0].line == 2);
  CHECK(r.result.records == r.result.events + r.result.skipped);
}

TEST_CASE("a truncated last record is reported and earlier records are kept", "[record][damage]") {
  std::string text = std::string(kStorageLine) + "\n" + std::string(kStorageLine.substr(0, 100));
  auto r = read_text(text);
  CHECK(r.events.size() == 1);
  CHECK(r.result.skipped == 1);
  REQUIRE_FALSE(r.result.issues.empty());
  CHECK(r.result.issues[0].reason.find("truncated") != std::string::npos);
}

TEST_CASE("a record that is not an object is skipped with a reason", "[record][damage]") {
  auto r = read_text("[\"just a string\", " + std::string(kCliEvent) + ", [1,2]]");
  CHECK(r.events.size() == 1);
  CHECK(r.result.skipped == 2);
  REQUIRE(r.result.issues.size() == 2);
  CHECK(r.result.issues[0].reason == "record is a string, not an object");
  CHECK(r.result.issues[1].reason == "record is an array, not an object");
}

TEST_CASE("records envelopes are read record by record", "[record][shape]") {
  auto r = read_text("{\"records\": [" + std::string(kStorageLine) + ",\n" + std::string(kStorageLine) + "]}");
  CHECK(r.result.shape == record::Shape::records_envelope);
  CHECK(r.events.size() == 2);
}

TEST_CASE("other Azure logs in the same container are not Activity Log events", "[record][negative]") {
  auto r = read_text(R"({"time":"2024-01-01T00:00:00Z","resourceId":"/SUBSCRIPTIONS/X/RESOURCEGROUPS/Y/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV","operationName":"VaultGet","category":"AuditEvent","identity":{"claim":{}}})"
                     "\n");
  CHECK(r.events.empty());
  CHECK_FALSE(r.result.activity_log);
  CHECK(r.result.records == 1);
  CHECK(r.result.skipped == 1);
}

TEST_CASE("raw fields can be read by dotted path, into JSON held in strings", "[record][raw]") {
  std::string got;
  bool found = false, nested = false, missing = true;
  input::Buffer buf;
  std::string err;
  input::buffer_from_bytes(std::string(kStorageLine) + "\n", input::OpenOptions{}, &buf, &err);
  record::Reader reader;
  reader.read(buf.text(), [&](const record::EventView& ev) {
    found = ev.source->raw_field("properties.statusCode", &got) && got == "NoContent";
    std::string code;
    nested = ev.source->raw_field("properties.statusMessage.error.code", &code) && code == "ScopeLocked";
    std::string none;
    missing = ev.source->raw_field("properties.nothing", &none);
  });
  CHECK(found);
  CHECK(nested);
  CHECK_FALSE(missing);
}

TEST_CASE("raw fields read again for the next record and the next input come from that record", "[record][raw]") {
  // raw_field keeps the current record's document between calls; it must never answer
  // from a previous record, nor from a previous input whose buffer had the same address.
  const std::string two = R"({"operationName":"A/B/WRITE","properties":{"requestbody":"first"}})"
                          "\n"
                          R"({"operationName":"A/B/WRITE","properties":{"requestbody":"second"}})"
                          "\n";
  record::Reader reader;
  std::vector<std::string> seen;
  auto collect = [&](const record::EventView& ev) {
    std::string a, b;
    ev.source->raw_field("properties.requestbody", &a);
    ev.source->raw_field("properties.requestbody", &b);
    seen.push_back(a + "/" + b);
  };
  input::Buffer buf;
  std::string err;
  REQUIRE(input::buffer_from_bytes(two, input::OpenOptions{}, &buf, &err));
  reader.read(buf.text(), collect);
  std::string swapped = two;
  std::swap(swapped[swapped.find("first")], swapped[swapped.find("second")]);  // "sirst", "fecond"
  REQUIRE(input::buffer_from_bytes(swapped, input::OpenOptions{}, &buf, &err));
  reader.read(buf.text(), collect);
  CHECK(seen == std::vector<std::string>{"first/first", "second/second", "sirst/sirst", "fecond/fecond"});
}

TEST_CASE("resource ids split into their parts whatever their case", "[record]") {
  auto p = record::split_resource_id("/SUBSCRIPTIONS/s/RESOURCEGROUPS/rg/PROVIDERS/Microsoft.Web/sites/app/slots/stage");
  CHECK(p.subscription == "s");
  CHECK(p.resource_group == "rg");
  CHECK(p.provider == "Microsoft.Web");
  CHECK(p.type_tail == "sites/app/slots/stage");
  CHECK(p.name == "stage");
  auto rg = record::split_resource_id("/subscriptions/s/resourceGroups/rg");
  CHECK(rg.name == "rg");
}

namespace {
// Caller and app id of every event of `text`, read eagerly, or lazily and then completed.
std::vector<std::pair<std::string, std::string>> identities(std::string_view text, bool lazy) {
  std::vector<std::pair<std::string, std::string>> out;
  test::read_events(text, lazy, [&](const record::EventView& ev) {
    CHECK(ev.pending == lazy);
    record::EventView full = ev;
    ev.source->complete(&full);
    CHECK_FALSE(full.pending);
    out.emplace_back(full.caller, full.app_id);
  });
  return out;
}
}  // namespace

TEST_CASE("a lazy reader leaves the claims for later and completing gives what an eager read gives",
          "[record][lazy]") {
  // Storage: the caller comes from the UPN claim under identity.
  auto eager = identities(std::string(kStorageLine) + "\n", false);
  auto lazy = identities(std::string(kStorageLine) + "\n", true);
  REQUIRE(eager.size() == 1);
  CHECK(eager[0] == std::pair<std::string, std::string>{"eve@contoso.com", "app-1"});
  CHECK(lazy == eager);

  // az CLI: a top-level caller and top-level claims with the app id.
  const std::string cli = R"([{"caller":"bob@contoso.com","claims":{"appid":"app-2","name":"Bob"},)"
                          R"("operationName":{"value":"Microsoft.Network/routeTables/delete"},"status":{"value":"Succeeded"}}])";
  CHECK(identities(cli, true) == identities(cli, false));
  CHECK(identities(cli, false)[0] == std::pair<std::string, std::string>{"bob@contoso.com", "app-2"});

  // PowerShell wraps the claims in {"Content": {...}}; a service principal has only an app id.
  const std::string ps = R"([{"Claims":{"Content":{"appid":"app-3","http://schemas.microsoft.com/identity/claims/objectidentifier":"oid-3"}},)"
                         R"("OperationName":{"Value":"Microsoft.Storage/storageAccounts/delete"},"Status":{"Value":"Succeeded"}}])";
  CHECK(identities(ps, true) == identities(ps, false));
  CHECK(identities(ps, false)[0] == std::pair<std::string, std::string>{"app-3", "app-3"});
}

TEST_CASE("a lazy reader still delivers a caller written at the top level", "[record][lazy]") {
  int n = 0;
  test::read_events("[\n" + std::string(kCliEvent) + "\n]", true, [&](const record::EventView& ev) {
    ++n;
    CHECK(ev.caller == "bob@contoso.com");
    record::EventView full = ev;
    ev.source->complete(&full);
    CHECK(full.caller == "bob@contoso.com");
  });
  CHECK(n == 1);
}

TEST_CASE("a lazy reader leaves the resource id's parts for later and completing gives an eager read's",
          "[record][lazy]") {
  auto parts = [](std::string_view text, bool lazy) {
    std::vector<std::string> out;
    test::read_events(text, lazy, [&](const record::EventView& ev) {
      if (lazy) CHECK(ev.resource_name.empty());  // not split yet
      record::EventView full = ev;
      ev.source->complete(&full);
      out.push_back(std::string(full.subscription) + "|" + std::string(full.resource_group) + "|" +
                    std::string(full.provider) + "|" + std::string(full.resource_type) + "|" +
                    std::string(full.resource_name));
    });
    return out;
  };
  // Storage writes only the (upper-case) resource id; az CLI writes some parts as fields.
  const std::string storage = std::string(kStorageLine) + "\n";
  const std::string cli = "[\n" + std::string(kCliEvent) + "\n]";
  for (const std::string& text : {storage, cli}) {
    const auto eager = parts(text, false);
    REQUIRE(eager.size() == 1);
    CHECK(eager[0].find("||") == std::string::npos);  // every part found
    CHECK(parts(text, true) == eager);
  }
}

TEST_CASE("string fields read the same with and without escapes and whatever the spacing around them",
          "[record][strings]") {
  // A reader that takes unescaped values where they lie in the record (tried; slower with
  // simdjson 3.0.1) must still give the text the JSON means, escaped or not.
  const std::string plain =
      R"({"time":"2024-01-01T00:00:00Z","operationName":"Microsoft.Compute/virtualMachines/delete",)"
      R"("category":"Administrative","resultType":"Success","callerIpAddress":"203.0.113.7",)"
      R"("correlationId":"c-1,\"x\"","resourceId":"/SUBSCRIPTIONS/S1/RESOURCEGROUPS/RG/PROVIDERS/A.B/C/D",)"
      R"("level":"Information","properties":{"statusMessage":"a \"quoted\" \\ path\/x \u00e9\n"}})";
  const std::string spaced =
      "{ \"time\" : \"2024-01-01T00:00:00Z\" ,\t\"operationName\":\r\n\"Microsoft.Compute/virtualMachines/delete\"\n,"
      " \"category\" :\"Administrative\"  , \"resultType\": \"Success\" ,\"callerIpAddress\":\"203.0.113.7\" , "
      "\"correlationId\" : \"c-1,\\\"x\\\"\" , \"resourceId\":\"/SUBSCRIPTIONS/S1/RESOURCEGROUPS/RG/PROVIDERS/A.B/C/D\" ,"
      "\"level\":\"Information\" , \"properties\" : { \"statusMessage\" : \"a \\\"quoted\\\" \\\\ path\\/x \\u00e9\\n\" } }";
  const std::string escaped =  // escapes in the operation name and the resource id too
      R"({"time":"2024-01-01T00:00:00Z","operationName":"\u004Dicrosoft.Compute\/virtualMachines\/delete",)"
      R"("category":"Administrative","resultType":"Success","callerIpAddress":"203.0.113.7",)"
      R"("correlationId":"c-1,\"x\"","resourceId":"\/SUBSCRIPTIONS/S1/RESOURCEGROUPS/RG/PROVIDERS/A.B/C/D",)"
      R"("level":"Information","properties":{"statusMessage":"a \"quoted\" \\ path\/x \u00e9\n"}})";
  for (const std::string& text : {plain, spaced, escaped}) {
    INFO(text);
    const test::Read r = test::read_text(text + "\n");
    REQUIRE(r.events.size() == 1);
    const test::OwnedEvent& ev = r.events[0];
    CHECK(ev.operation == "Microsoft.Compute/virtualMachines/delete");
    CHECK(ev.category == "Administrative");
    CHECK(ev.status == record::Status::succeeded);
    CHECK(ev.caller_ip == "203.0.113.7");
    CHECK(ev.correlation_id == "c-1,\"x\"");
    CHECK(ev.resource_id == "/SUBSCRIPTIONS/S1/RESOURCEGROUPS/RG/PROVIDERS/A.B/C/D");
    CHECK(ev.level == "Information");
    CHECK(ev.status_message == "a \"quoted\" \\ path/x \xC3\xA9\n");
  }
}

TEST_CASE("Log Analytics rows written as JSON objects take the operation from OperationNameValue in any column order",
          "[record][shape]") {
  // `az monitor log-analytics query` prints AzureActivity rows as objects keyed by column:
  // the legacy OperationName column holds only the display name.
  const std::string value = R"("OperationNameValue":"MICROSOFT.COMPUTE/VIRTUALMACHINES/DELETE")";
  const std::string legacy = R"("OperationName":"Delete Virtual Machine")";
  const std::string rest = R"("CategoryValue":"Administrative","ActivityStatusValue":"Success",)"
                           R"("TimeGenerated":"2024-01-01T00:00:00Z","EventDataId":"e1","Caller":"a@b.c")";
  for (const std::string& row : {"{" + value + "," + legacy + "," + rest + "}", "{" + legacy + "," + value + "," + rest + "}",
                                 "{" + rest + "," + legacy + "," + value + "}"}) {
    INFO(row);
    auto r = read_text("[" + row + "]");
    REQUIRE(r.events.size() == 1);
    CHECK(r.events[0].operation == "MICROSOFT.COMPUTE/VIRTUALMACHINES/DELETE");
    CHECK(r.events[0].operation_display == "Delete Virtual Machine");
  }
}

namespace {
// kStorageLine with `from` replaced by `to` (the first occurrence, which must exist).
std::string storage_line_with(std::string_view from, std::string_view to) {
  std::string s(kStorageLine);
  const auto at = s.find(from);
  REQUIRE(at != std::string::npos);
  return s.replace(at, from.size(), to);
}
}  // namespace

TEST_CASE("a storage record is read up to the fields every event needs, and completing reads the rest",
          "[record][lazy]") {
  const auto eager = read_text(std::string(kStorageLine) + "\n");
  REQUIRE(eager.events.size() == 1);
  const test::OwnedEvent& want = eager.events[0];
  int n = 0;
  test::read_events(std::string(kStorageLine) + "\n", true, [&](const record::EventView& ev) {
    ++n;
    // Time, operation, category and status come before the rest in storage exports.
    CHECK(ev.pending);
    CHECK(ev.time == want.time);
    CHECK(ev.operation == want.operation);
    CHECK(ev.status == record::Status::succeeded);
    CHECK(ev.category == "Administrative");
    CHECK(ev.caller_ip.empty());
    CHECK(ev.correlation_id.empty());
    CHECK(ev.status_message.empty());
    // Raw paths under `properties` are answered before completing, from the properties alone.
    std::string code, nested;
    CHECK(ev.source->raw_field("properties.statusCode", &code));
    CHECK(code == "NoContent");
    CHECK(ev.source->raw_field("properties.statusMessage.error.code", &nested));
    CHECK(nested == "ScopeLocked");
    CHECK_FALSE(ev.source->raw_field("properties.nothing", &code));
    record::EventView full = ev;
    ev.source->complete(&full);
    CHECK_FALSE(full.pending);
    CHECK(full.time == want.time);
    CHECK(full.operation == want.operation);
    CHECK(full.substatus == want.substatus);
    CHECK(full.substatus == "NoContent");
    CHECK(full.status_message == want.status_message);
    CHECK(full.caller == want.caller);
    CHECK(full.caller_ip == want.caller_ip);
    CHECK(full.correlation_id == want.correlation_id);
    CHECK(full.app_id == want.app_id);
    CHECK(full.level == want.level);
    CHECK(full.resource_name == want.resource_name);
    CHECK(ev.source->raw_field("properties.statusCode", &code));
    CHECK(code == "NoContent");
  });
  CHECK(n == 1);
}

TEST_CASE("a storage record broken after the fields every event needs is still refused, and so is one with more after it",
          "[record][damage][lazy]") {
  const std::string text = storage_line_with(R"("level":"Information")", R"("level" "Information")") + "\n" +
                           std::string(kStorageLine) + R"({"time":"2019-10-24T00:13:46Z"})" + "\n" +
                           storage_line_with(R"("level":"Information")", R"("level":"Information",)") + "\n" +
                           std::string(kStorageLine.substr(0, kStorageLine.size() - 2)) + "\n" +
                           std::string(kStorageLine) + "\n";
  for (bool lazy : {false, true}) {
    INFO(lazy);
    int events = 0;
    const record::ReadResult r = test::read_events(text, lazy, [&](const record::EventView&) { ++events; });
    CHECK(events == 1);
    CHECK(r.records == 5);
    CHECK(r.skipped == 4);
    REQUIRE(r.issues.size() == 4);
    for (std::size_t i = 0; i < 4; ++i) {
      CHECK(r.issues[i].line == i + 1);
      CHECK(r.issues[i].reason.find("malformed JSON") == 0);
    }
    CHECK(r.issues[1].reason == "malformed JSON: trailing content after the record");
  }
}

TEST_CASE("a storage field written again after the fields every event needs wins as in a whole read", "[record][lazy]") {
  std::string text(kStorageLine);
  text.insert(text.size() - 1, R"(,"operationName":"MICROSOFT.COMPUTE/DISKS/DELETE","eventDataId":"ed-9")");
  const auto eager = read_text(text + "\n");
  REQUIRE(eager.events.size() == 1);
  CHECK(eager.events[0].operation == "MICROSOFT.COMPUTE/DISKS/DELETE");
  CHECK(eager.events[0].event_id == "ed-9");
  int n = 0;
  test::read_events(text + "\n", true, [&](const record::EventView& ev) {
    ++n;
    CHECK(ev.operation == "MICROSOFT.COMPUTE/DISKS/DELETE");
    CHECK(ev.event_id == "ed-9");
  });
  CHECK(n == 1);
}

TEST_CASE("a storage value broken after the fields every event needs leaves the fields from it on empty, and the event is kept",
          "[record][damage][lazy]") {
  // A bad escape is found only when the string is read: the record's structure is sound, so
  // it is an event like any other, and a rule on its operation still sees it.
  const std::string text = storage_line_with(R"("correlationId":"c-1")", R"("correlationId":"c\q1")") + "\n";
  const auto eager = read_text(text);
  CHECK(eager.result.skipped == 0);
  REQUIRE(eager.events.size() == 1);
  const test::OwnedEvent& e = eager.events[0];
  CHECK(e.operation == "MICROSOFT.COMPUTE/VIRTUALMACHINES/DELETE");
  CHECK(e.caller_ip == "203.0.113.9");  // before the broken value
  CHECK(e.correlation_id.empty());
  CHECK(e.caller.empty());  // the claims come after it
  int n = 0;
  test::read_events(text, true, [&](const record::EventView& ev) {
    ++n;
    record::EventView full = ev;
    ev.source->complete(&full);
    CHECK(full.caller_ip == e.caller_ip);
    CHECK(full.correlation_id.empty());
    CHECK(full.caller.empty());
  });
  CHECK(n == 1);
}
