// datagen: writes a synthetic Activity Log export for benchmarks. The same (events, shape,
// seed, rate, bursts) always gives the same bytes, so figures can be reproduced and
// compared across machines and commits.
//
// Records are shaped like the real thing (samples/, formats.md): storage-account PT1H
// records of about 2 KB with a full token (identity.claims) for json-lines and the records
// envelope; az CLI / REST records with {value, localizedValue} pairs for the array and the
// value page. Every operation is written as Started + Succeeded with one correlation id.
// A fraction `rate` of the operations are ones the catalog cares about (deletes, lock and
// role changes...), and `bursts` mass deletions (15 disks by one caller in ~7 minutes) are
// spread evenly through the file so windowed rules have something to find.
//
//   datagen --events 500000 --shape jsonl --seed 1 --rate 0.001 --bursts 4 -o out.json
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "record/record.h"

namespace {

// splitmix64: tiny, fast, and fully specified, so the output never depends on the
// standard library's distributions.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  std::uint64_t below(std::uint64_t n) { return next() % n; }
  double unit() { return static_cast<double>(next() >> 11) / 9007199254740992.0; }

 private:
  std::uint64_t state_;
};

enum class Shape { jsonl, array, records, value };

struct Options {
  std::uint64_t events = 10000;
  Shape shape = Shape::jsonl;
  std::uint64_t seed = 1;
  double rate = 0.001;
  std::uint64_t bursts = 2;
  const char* output = nullptr;
};

struct Operation {
  const char* name;       // as the storage export writes it (upper case)
  const char* provider;   // Microsoft.X
  const char* type;       // type path after the provider, e.g. virtualMachines
  const char* verb;       // write, delete, start/action...
};

// Background traffic: what a subscription does all day.
constexpr Operation kNoise[] = {
    {"MICROSOFT.COMPUTE/VIRTUALMACHINES/WRITE", "Microsoft.Compute", "virtualMachines", "write"},
    {"MICROSOFT.COMPUTE/VIRTUALMACHINES/START/ACTION", "Microsoft.Compute", "virtualMachines", "start/action"},
    {"MICROSOFT.RESOURCES/TAGS/WRITE", "Microsoft.Resources", "tags", "write"},
    {"MICROSOFT.RESOURCES/DEPLOYMENTS/WRITE", "Microsoft.Resources", "deployments", "write"},
    {"MICROSOFT.NETWORK/NETWORKINTERFACES/WRITE", "Microsoft.Network", "networkInterfaces", "write"},
    {"MICROSOFT.WEB/SITES/WRITE", "Microsoft.Web", "sites", "write"},
    {"MICROSOFT.KEYVAULT/VAULTS/WRITE", "Microsoft.KeyVault", "vaults", "write"},
    {"MICROSOFT.SQL/SERVERS/DATABASES/WRITE", "Microsoft.Sql", "servers", "write"},
};

// Operations the detection catalog looks at.
constexpr Operation kRelevant[] = {
    {"MICROSOFT.COMPUTE/VIRTUALMACHINES/DELETE", "Microsoft.Compute", "virtualMachines", "delete"},
    {"MICROSOFT.COMPUTE/DISKS/DELETE", "Microsoft.Compute", "disks", "delete"},
    {"MICROSOFT.COMPUTE/SNAPSHOTS/DELETE", "Microsoft.Compute", "snapshots", "delete"},
    {"MICROSOFT.AUTHORIZATION/LOCKS/DELETE", "Microsoft.Authorization", "locks", "delete"},
    {"MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/WRITE", "Microsoft.Authorization", "roleAssignments", "write"},
    {"MICROSOFT.KEYVAULT/VAULTS/DELETE", "Microsoft.KeyVault", "vaults", "delete"},
    {"MICROSOFT.INSIGHTS/DIAGNOSTICSETTINGS/DELETE", "Microsoft.Insights", "diagnosticSettings", "delete"},
    {"MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/SECURITYRULES/WRITE", "Microsoft.Network", "networkSecurityGroups", "write"},
};
constexpr Operation kBurst = kRelevant[1];  // mass disk deletion

constexpr const char* kCallers[] = {"alice.admin", "bob.ops", "carol.dev", "dave.sre", "erin.sec",
                                    "frank.data", "grace.build", "heidi.net"};
constexpr const char* kGroups[] = {"prod-web", "prod-data", "dev-sandbox", "shared-net", "ci-runners",
                                   "backup-rg"};
constexpr const char* kTenant = "72f988bf-0000-4e2b-9a6c-3d1f5b7a0c11";
constexpr const char* kSubscription = "6b1c2f4e-9d1a-4c55-8f0e-2a7d3b9c1e01";

void guid(Rng& rng, char out[37]) {
  const std::uint64_t a = rng.next(), b = rng.next();
  std::snprintf(out, 37, "%08" PRIx64 "-%04" PRIx64 "-%04" PRIx64 "-%04" PRIx64 "-%012" PRIx64, a >> 32,
                (a >> 16) & 0xFFFF, a & 0xFFFF, b >> 48, b & 0xFFFFFFFFFFFFu);
}

std::string upper(std::string_view s) {
  std::string r(s);
  for (char& c : r) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return r;
}

// Everything one record says, shared by both record layouts.
struct Event {
  const Operation* op;
  std::string resource_id;  // canonical case
  std::string resource_group;
  const char* caller;
  std::string ip;
  std::string time;  // RFC 3339, 7 fractional digits (record::format_time)
  char correlation[37], operation_id[37], event_id[37], request_id[37], object_id[37];
  bool started;  // Started record (else Succeeded)
};

class Writer {
 public:
  Writer(std::FILE* out, Shape shape) : out_(out), shape_(shape) {}

  void begin() {
    if (shape_ == Shape::array) put("[\n");
    if (shape_ == Shape::records) put("{\"records\":[\n");
    if (shape_ == Shape::value) put("{\"value\":[\n");
  }
  void end() {
    if (shape_ == Shape::array) put("\n]\n");
    if (shape_ == Shape::records || shape_ == Shape::value) put("\n],\"nextLink\":null}\n");
  }

  void event(const Event& e) {
    if (count_++ > 0 && shape_ != Shape::jsonl) put(",\n");
    buf_.clear();
    if (shape_ == Shape::jsonl || shape_ == Shape::records) storage_record(e);
    else cli_record(e);
    if (shape_ == Shape::jsonl) buf_ += '\n';
    std::fwrite(buf_.data(), 1, buf_.size(), out_);
  }

 private:
  void put(const char* s) { std::fputs(s, out_); }
  void kv(const char* key, std::string_view value, bool comma = true) {
    buf_ += '"';
    buf_ += key;
    buf_ += "\":\"";
    buf_ += value;
    buf_ += comma ? "\"," : "\"";
  }
  void pair(const char* key, std::string_view value) {  // {value, localizedValue}
    buf_ += '"';
    buf_ += key;
    buf_ += "\":{\"value\":\"";
    buf_ += value;
    buf_ += "\",\"localizedValue\":\"";
    buf_ += value;
    buf_ += "\"},";
  }
  std::string upn(const Event& e) { return std::string(e.caller) + "@contoso.com"; }
  std::string scope(const Event& e) { return e.resource_id; }
  std::string action(const Event& e) {
    return std::string(e.op->provider) + "/" + e.op->type + "/" + e.op->verb;
  }
  void claims(const Event& e) {
    buf_ += "\"claims\":{";
    kv("aud", "https://management.core.windows.net/");
    kv("iss", std::string("https://sts.windows.net/") + kTenant + "/");
    kv("iat", "1715673000");
    kv("nbf", "1715673000");
    kv("exp", "1715677900");
    kv("http://schemas.microsoft.com/claims/authnclassreference", "1");
    kv("aio", "AVQAq/8WAAAAxK2pNz3hB5gqJ4m1vR8fTz0cW9yL6uE7sD2aQ3oP1iN0jM=");
    kv("http://schemas.microsoft.com/claims/authnmethodsreferences", "pwd,mfa");
    kv("appid", "04b07795-8ddb-461a-bbee-02f9e1bf7b46");
    kv("appidacr", "0");
    kv("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname", "Admin");
    kv("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname", e.caller);
    kv("ipaddr", e.ip);
    kv("name", e.caller);
    kv("http://schemas.microsoft.com/identity/claims/objectidentifier", e.object_id);
    kv("puid", "10032001A4B5C6D7");
    kv("rh", "0.AQEAv4j5cvGGr0GRqy180BHbR0ZIf3kAutdPukPawfj2MBMBAAA.");
    kv("http://schemas.microsoft.com/identity/claims/scope", "user_impersonation");
    kv("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier", "q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k8l9z0x1c");
    kv("http://schemas.microsoft.com/identity/claims/tenantid", kTenant);
    kv("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name", upn(e));
    kv("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn", upn(e));
    kv("uti", "Xq3Lk9PzR0mYb7VhT2cWAA");
    kv("ver", "1.0", false);
    buf_ += '}';
  }

  // Storage-account PT1H.json / Event Hub layout (upper-case resource ids, resultType).
  void storage_record(const Event& e) {
    buf_ += "{\"RoleLocation\":\"West Europe\",";
    kv("time", e.time);
    kv("resourceId", upper(e.resource_id));
    kv("operationName", e.op->name);
    kv("category", "Administrative");
    kv("resultType", e.started ? "Start" : "Success");
    kv("resultSignature", e.started ? "Started." : "Succeeded.");
    buf_ += e.started ? "\"durationMs\":\"0\"," : "\"durationMs\":2826,";
    kv("callerIpAddress", e.ip);
    kv("correlationId", e.correlation);
    buf_ += "\"identity\":{\"authorization\":{";
    kv("scope", scope(e));
    kv("action", action(e));
    buf_ += "\"evidence\":{";
    kv("role", "Contributor");
    kv("roleAssignmentScope", std::string("/subscriptions/") + kSubscription);
    kv("roleAssignmentId", "18f135d25f557203301850c5a38fd547");
    kv("roleDefinitionId", "b24988ac618042a0ab8820f7382dd24c");
    kv("principalId", "907a70c31012f037b64ce4228c38fb29");
    kv("principalType", "User", false);
    buf_ += "}},";
    claims(e);
    buf_ += "},";
    kv("level", "Information");
    kv("location", "global");
    buf_ += "\"properties\":{";
    kv("statusCode", e.started ? "Accepted" : "OK");
    kv("serviceRequestId", e.request_id);
    kv("eventCategory", "Administrative");
    kv("entity", e.resource_id);
    kv("message", action(e));
    kv("hierarchy", std::string(kTenant) + "/" + kSubscription, false);
    buf_ += "},";
    kv("tenantId", kTenant, false);
    buf_ += '}';
  }

  // az monitor activity-log list / REST layout (camelCase, {value, localizedValue}).
  void cli_record(const Event& e) {
    buf_ += "{\"authorization\":{";
    kv("action", action(e));
    kv("scope", scope(e), false);
    buf_ += "},";
    kv("caller", upn(e));
    pair("category", "Administrative");
    claims(e);
    buf_ += ',';
    kv("correlationId", e.correlation);
    kv("description", "");
    kv("eventDataId", e.event_id);
    pair("eventName", e.started ? "BeginRequest" : "EndRequest");
    kv("eventTimestamp", e.time);
    buf_ += "\"httpRequest\":{";
    kv("clientIpAddress", e.ip);
    kv("clientRequestId", e.request_id);
    kv("method", e.op->verb[0] == 'd' ? "DELETE" : e.op->verb[0] == 'w' ? "PUT" : "POST", false);
    buf_ += "},";
    kv("id", e.resource_id + "/events/" + e.event_id + "/ticks/638512345678901234");
    kv("level", "Informational");
    kv("operationId", e.operation_id);
    pair("operationName", action(e));
    buf_ += "\"properties\":{";
    kv("entity", e.resource_id);
    kv("eventCategory", "Administrative");
    kv("hierarchy", std::string(kTenant) + "/" + kSubscription);
    kv("message", action(e));
    kv("statusCode", e.started ? "Accepted" : "OK", false);
    buf_ += "},";
    kv("resourceGroup", e.resource_group);
    kv("resourceGroupName", e.resource_group);
    kv("resourceId", e.resource_id);
    pair("resourceProviderName", e.op->provider);
    pair("resourceType", std::string(e.op->provider) + "/" + e.op->type);
    pair("status", e.started ? "Started" : "Succeeded");
    pair("subStatus", e.started ? "" : "OK");
    kv("submissionTimestamp", std::string_view(e.time).substr(0, 19));
    kv("subscriptionId", kSubscription);
    kv("tenantId", kTenant, false);
    buf_ += '}';
  }

  std::FILE* out_;
  Shape shape_;
  std::string buf_;
  std::uint64_t count_ = 0;
};

class Generator {
 public:
  Generator(const Options& opt, Writer* w) : opt_(opt), rng_(opt.seed), w_(w) {}

  void run() {
    w_->begin();
    // Bursts sit at evenly spaced record positions; each is 15 operations = 30 records.
    const std::uint64_t per_burst = 30;
    std::uint64_t next_burst = opt_.bursts ? opt_.events / (opt_.bursts + 1) : UINT64_MAX;
    std::uint64_t bursts_done = 0;
    while (written_ < opt_.events) {
      if (written_ >= next_burst && bursts_done < opt_.bursts && opt_.events - written_ >= per_burst) {
        burst(bursts_done);
        ++bursts_done;
        next_burst = opt_.events / (opt_.bursts + 1) * (bursts_done + 1);
        continue;
      }
      const bool relevant = rng_.unit() < opt_.rate;
      const Operation* op = relevant ? &kRelevant[rng_.below(std::size(kRelevant))]
                                     : &kNoise[rng_.below(std::size(kNoise))];
      operation(op, kCallers[rng_.below(std::size(kCallers))], kGroups[rng_.below(std::size(kGroups))],
                rng_.below(400), 1 + static_cast<std::int64_t>(rng_.below(200000000)));
    }
    w_->end();
  }

 private:
  // One operation: Started then Succeeded (or only Started if the file ends in between).
  void operation(const Operation* op, const char* caller, const char* group, std::uint64_t name_no,
                 std::int64_t gap_ticks) {
    Event e;
    e.op = op;
    e.caller = caller;
    e.resource_group = group;
    char name[32];
    std::snprintf(name, sizeof name, "%.3s-%03" PRIu64, op->type, name_no);
    e.resource_id = std::string("/subscriptions/") + kSubscription + "/resourceGroups/" + group +
                    "/providers/" + op->provider + "/" + op->type + "/" + name;
    const unsigned caller_no = static_cast<unsigned>(caller[0]);
    e.ip = "198.51.100." + std::to_string(caller_no % 250 + 1);
    guid(rng_, e.correlation);
    guid(rng_, e.operation_id);
    guid(rng_, e.object_id);
    for (int phase = 0; phase < 2 && written_ < opt_.events; ++phase) {
      now_ += phase == 0 ? gap_ticks : 20000000 + static_cast<std::int64_t>(rng_.below(100000000));
      e.started = phase == 0;
      e.time = azd::record::format_time(now_);
      guid(rng_, e.event_id);
      guid(rng_, e.request_id);
      w_->event(e);
      ++written_;
    }
  }

  // A mass deletion: one caller deletes 15 disks of one group, one every ~30 s.
  void burst(std::uint64_t n) {
    const char* caller = kCallers[n % std::size(kCallers)];
    const char* group = kGroups[n % std::size(kGroups)];
    for (std::uint64_t i = 0; i < 15; ++i) operation(&kBurst, caller, group, 500 + n * 20 + i, 300000000);
  }

  const Options& opt_;
  Rng rng_;
  Writer* w_;
  std::uint64_t written_ = 0;
  std::int64_t now_ = 17156448000000000;  // 2024-05-14T00:00:00Z in 100 ns ticks
};

int usage() {
  std::fputs(
      "usage: datagen [--events N] [--shape jsonl|array|records|value] [--seed S]\n"
      "               [--rate R] [--bursts B] [-o FILE]\n"
      "Writes N synthetic Activity Log records (default 10000) to FILE or stdout.\n"
      "  --rate    fraction of operations the catalog looks at (default 0.001)\n"
      "  --bursts  mass deletions of 15 disks spread through the file (default 2)\n",
      stderr);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    const char* v = i + 1 < argc ? argv[i + 1] : nullptr;
    if (!v) return usage();
    ++i;
    if (a == "--events") opt.events = std::strtoull(v, nullptr, 10);
    else if (a == "--seed") opt.seed = std::strtoull(v, nullptr, 10);
    else if (a == "--rate") opt.rate = std::strtod(v, nullptr);
    else if (a == "--bursts") opt.bursts = std::strtoull(v, nullptr, 10);
    else if (a == "-o") opt.output = v;
    else if (a == "--shape") {
      const std::string_view s = v;
      if (s == "jsonl") opt.shape = Shape::jsonl;
      else if (s == "array") opt.shape = Shape::array;
      else if (s == "records") opt.shape = Shape::records;
      else if (s == "value") opt.shape = Shape::value;
      else return usage();
    } else {
      return usage();
    }
  }
  std::FILE* out = opt.output ? std::fopen(opt.output, "wb") : stdout;
  if (!out) {
    std::perror(opt.output);
    return 1;
  }
  static char iobuf[1 << 20];
  std::setvbuf(out, iobuf, _IOFBF, sizeof iobuf);
  Writer writer(out, opt.shape);
  Generator(opt, &writer).run();
  if (std::fflush(out) != 0 || (opt.output && std::fclose(out) != 0)) {
    std::perror(opt.output ? opt.output : "stdout");
    return 1;
  }
  return 0;
}
