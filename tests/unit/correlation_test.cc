// Windows, sequences, duplicates and merging: the engine's correlation behaviour, on rules
// written inline so the tests do not depend on the shipped catalog (except where they say).
#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <random>

#include "base/text.h"

#include "catalog/catalog.h"
#include "engine/engine.h"
#include "record/record.h"
#include "test_support.h"

using namespace azd;
using test::storage_line;

namespace {

constexpr std::string_view kVmDelete = "MICROSOFT.COMPUTE/VIRTUALMACHINES/DELETE";
constexpr std::string_view kDiskDelete = "MICROSOFT.COMPUTE/DISKS/DELETE";
constexpr std::string_view kLockDelete = "MICROSOFT.AUTHORIZATION/LOCKS/DELETE";
constexpr record::Ticks kBase = 1'704'067'200LL * record::kTicksPerSecond;  // 2024-01-01T00:00:00Z

std::string at(std::int64_t seconds) { return record::format_time(kBase + seconds * record::kTicksPerSecond); }

std::string vm(int n, std::string_view sub = "S1") {
  return "/SUBSCRIPTIONS/" + std::string(sub) + "/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.COMPUTE/VIRTUALMACHINES/VM" +
         std::to_string(n);
}

// A rule file with the metadata every rule needs around `body` (match/window/sequence).
std::string rule_text(std::string_view id, std::string_view body) {
  return R"({"azdetect_rule": 1, "id": ")" + std::string(id) +
         R"(", "title": "t", "description": "d", "severity": "high", "status": "test",
  "attack": {"tactics": ["TA0040"], "techniques": ["T1485"]},
  "remediation": {"summary": "s", "why": "w", "triage": ["look"], "recovery": ["restore"]}, )" +
         std::string(body) + "}";
}

catalog::Catalog catalog_of(std::initializer_list<std::pair<std::string_view, std::string_view>> rules) {
  catalog::Catalog c;
  std::vector<catalog::LintError> errors;
  for (const auto& [id, body] : rules) {
    INFO(id);
    REQUIRE(c.add_from_text(id, rule_text(id, body), &errors));
  }
  return c;
}

// At least 5 distinct VMs deleted within 10 minutes, per subscription.
constexpr std::string_view kBurstRule = R"("match": {"field": "operation", "equals": "Microsoft.Compute/virtualMachines/delete"},
  "window": {"group_by": ["subscription"], "count": "distinct", "distinct": "resource_id", "timespan": "10m", "gte": 5})";

// One delete operation of VM `n` that succeeded at `seconds` (Started one second before).
std::string vm_delete(int n, std::int64_t seconds, std::string_view caller = "eve@contoso.com",
                      std::string_view sub = "S1") {
  const std::string corr = "corr-" + std::string(sub) + "-" + std::to_string(n) + "-" + std::to_string(seconds);
  return storage_line(at(seconds - 1), kVmDelete, "Start", vm(n, sub), corr, caller, "203.0.113.7") +
         storage_line(at(seconds), kVmDelete, "Success", vm(n, sub), corr, caller);
}

// The parts of findings that must not depend on input order or splitting (evidence names
// its input file, which does).
std::string digest(const std::vector<engine::Finding>& findings) {
  std::string out;
  for (const engine::Finding& f : findings) {
    out += f.rule->id + " " + f.fingerprint + " " + record::format_time(f.first) + " " + record::format_time(f.last) +
           " n=" + std::to_string(f.count) + " ev=" + std::to_string(f.evidence_total) + " [";
    for (const std::string& r : f.resources) out += r + ",";
    out += "] [";
    for (const std::string& c : f.callers) out += c + ",";
    out += "] [";
    for (const std::string& ip : f.caller_ips) out += ip + ",";
    out += "] [";
    for (const auto& [k, v] : f.group) out += k + "=" + v + ",";
    out += "]\n";
  }
  return out;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t nl = text.find('\n', i);
    out.push_back(text.substr(i, nl - i + 1));
    i = nl + 1;
  }
  return out;
}

std::string join(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines) out += l;
  return out;
}

std::size_t count_of(const std::vector<engine::Finding>& findings, std::string_view id) {
  return static_cast<std::size_t>(
      std::count_if(findings.begin(), findings.end(), [&](const engine::Finding& f) { return f.rule->id == id; }));
}

}  // namespace

TEST_CASE("a window stays quiet with one distinct resource fewer than the threshold", "[engine][window]") {
  auto c = catalog_of({{"W-1", kBurstRule}});
  std::string text;
  for (int i = 0; i < 4; ++i) text += vm_delete(i, i * 60);
  CHECK(test::run(c, {text}).empty());
}

TEST_CASE("a window fires at exactly the threshold, with the burst's details", "[engine][window]") {
  auto c = catalog_of({{"W-1", kBurstRule}});
  std::string text;
  for (int i = 0; i < 5; ++i) text += vm_delete(i, i * 150);  // the last one 600 s (= 10 min) after the first
  auto f = test::run(c, {text});
  REQUIRE(f.size() == 1);
  CHECK(f[0].count == 5);
  CHECK(f[0].first == kBase);
  CHECK(f[0].last == kBase + 600 * record::kTicksPerSecond);
  CHECK(f[0].resources.size() == 5);
  CHECK(f[0].callers == std::vector<std::string>{"eve@contoso.com"});
  CHECK(f[0].caller_ips == std::vector<std::string>{"203.0.113.7"});
  CHECK(f[0].evidence_total == 10);
  CHECK(f[0].subscription == "S1");
  REQUIRE(f[0].group.size() == 1);
  CHECK(f[0].group[0] == std::pair<std::string, std::string>{"subscription", "S1"});
}

TEST_CASE("the threshold spread over the timespan plus one second stays quiet", "[engine][window]") {
  auto c = catalog_of({{"W-1", kBurstRule}});
  std::string text;
  for (int i = 0; i < 4; ++i) text += vm_delete(i, i * 150);
  text += vm_delete(4, 601);
  CHECK(test::run(c, {text}).empty());
}

TEST_CASE("Started and Succeeded records of half the resources do not reach the threshold", "[engine][window]") {
  // At least 6 VMs: 3 VMs with a Started and a Succeeded record each are 6 records but 3 VMs.
  auto c = catalog_of({{"W-6", R"("match": {"field": "operation", "equals": "Microsoft.Compute/virtualMachines/delete"},
    "window": {"group_by": ["subscription"], "count": "distinct", "distinct": "resource_id", "timespan": "10m", "gte": 6})"}});
  std::string pairs, triples;
  for (int i = 0; i < 3; ++i) {
    std::string corr = "c";
    corr += std::to_string(i);
    pairs += storage_line(at(i), kVmDelete, "Start", vm(i), corr) + storage_line(at(i + 30), kVmDelete, "Success", vm(i), corr);
    triples += storage_line(at(i), kVmDelete, "Start", vm(i), corr) + storage_line(at(i + 1), kVmDelete, "Accept", vm(i), corr) +
               storage_line(at(i + 30), kVmDelete, "Success", vm(i), corr);
  }
  CHECK(test::run(c, {pairs}).empty());
  CHECK(test::run(c, {triples}).empty());
  for (int i = 3; i < 6; ++i) pairs += vm_delete(i, 100 + i);
  CHECK(test::run(c, {pairs}).size() == 1);
}

TEST_CASE("the same VM in upper and lower case counts once", "[engine][window]") {
  auto c = catalog_of({{"W-1", kBurstRule}});
  std::string text;
  for (int i = 0; i < 4; ++i) text += vm_delete(i, i * 10);
  std::string lower = vm(3);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](char ch) { return azd::base::lower(ch); });
  text += storage_line(at(100), kVmDelete, "Success", lower, "other-corr");
  CHECK(test::run(c, {text}).empty());
}

TEST_CASE("a delete that only started or failed does not count in a window", "[engine][window]") {
  auto c = catalog_of({{"W-1", kBurstRule}});
  std::string text;
  for (int i = 0; i < 4; ++i) text += vm_delete(i, i * 10);
  text += storage_line(at(50), kVmDelete, "Start", vm(7), "c7");
  text += storage_line(at(60), kVmDelete, "Start", vm(8), "c8") + storage_line(at(61), kVmDelete, "Failure", vm(8), "c8");
  CHECK(test::run(c, {text}).empty());
  text += storage_line(at(70), kVmDelete, "Success", vm(7), "c7");  // the long-running delete completes
  CHECK(test::run(c, {text}).size() == 1);
}

TEST_CASE("overlapping windows merge into one burst; separate bursts stay separate", "[engine][window]") {
  auto c = catalog_of({{"W-1", kBurstRule}});
  std::string text;
  for (int i = 0; i < 12; ++i) text += vm_delete(i, i * 120);          // 12 VMs over 22 minutes, 2 min apart
  for (int i = 20; i < 25; ++i) text += vm_delete(i, 7200 + i);        // another burst two hours later
  auto f = test::run(c, {text});
  REQUIRE(f.size() == 2);
  CHECK(f[0].count == 12);
  CHECK(f[0].first == kBase);
  CHECK(f[0].last == kBase + 11 * 120 * record::kTicksPerSecond);
  CHECK(f[1].count == 5);
  CHECK(f[0].fingerprint != f[1].fingerprint);
}

TEST_CASE("a window groups by its group_by fields", "[engine][window]") {
  auto c = catalog_of({{"W-2", R"("match": {"field": "operation", "equals": "Microsoft.Compute/virtualMachines/delete"},
    "window": {"group_by": ["caller"], "count": "distinct", "distinct": "resource_id", "timespan": "10m", "gte": 5})"}});
  std::string text;
  for (int i = 0; i < 4; ++i) text += vm_delete(i, i * 10, "eve@contoso.com");
  for (int i = 4; i < 8; ++i) text += vm_delete(i, i * 10, "bob@contoso.com");
  CHECK(test::run(c, {text}).empty());
  text += vm_delete(9, 100, "bob@contoso.com");
  auto f = test::run(c, {text});
  REQUIRE(f.size() == 1);
  CHECK(f[0].callers == std::vector<std::string>{"bob@contoso.com"});
  CHECK(f[0].group[0].second == "bob@contoso.com");
}

TEST_CASE("a window can count operations instead of distinct values", "[engine][window]") {
  auto c = catalog_of({{"W-3", R"("match": {"field": "operation", "equals": "Microsoft.Compute/virtualMachines/delete"},
    "window": {"group_by": ["subscription"], "count": "operations", "timespan": "10m", "gte": 3})"}});
  // Three separate delete operations on the same VM (recreated in between) are three operations.
  const std::string text = vm_delete(1, 10) + vm_delete(1, 100) + vm_delete(1, 200);
  auto f = test::run(c, {text});
  REQUIRE(f.size() == 1);
  CHECK(f[0].count == 3);
  CHECK(f[0].resources.size() == 1);
}

TEST_CASE("windowed findings are the same shuffled, reversed or split over two inputs", "[engine][window][order]") {
  auto c = catalog_of({{"W-1", kBurstRule}});
  std::string text;
  for (int i = 0; i < 12; ++i) text += vm_delete(i, i * 100, i % 2 ? "eve@contoso.com" : "bob@contoso.com");
  for (int i = 0; i < 6; ++i) text += vm_delete(i, 5000 + i * 200, "eve@contoso.com", "S2");
  text += storage_line(at(40), kVmDelete, "Start", vm(30), "lonely");
  const std::string expected = digest(test::run(c, {text}));
  REQUIRE_FALSE(expected.empty());

  std::vector<std::string> lines = lines_of(text);
  std::reverse(lines.begin(), lines.end());
  CHECK(digest(test::run(c, {join(lines)})) == expected);

  std::mt19937 rng(42);
  for (int round = 0; round < 5; ++round) {
    std::shuffle(lines.begin(), lines.end(), rng);
    CHECK(digest(test::run(c, {join(lines)})) == expected);
    const auto half = lines.begin() + static_cast<std::ptrdiff_t>(lines.size() / 2);
    CHECK(digest(test::run(c, {join({lines.begin(), half}), join({half, lines.end()})})) == expected);
  }
}

TEST_CASE("the mass-deletion rules fire on a burst hidden in a large benign background, and only there",
          "[engine][window][catalog]") {
  const catalog::Catalog c = test::builtin();
  REQUIRE(c.find("AZD-007"));
  REQUIRE(c.find("AZD-008"));
  // A week of routine activity: VM writes and restarts, the odd VM and disk delete (a few a
  // day, never 11 in 20 minutes), spread over three subscriptions and several callers.
  std::mt19937 rng(7);
  std::string background;
  const char* ops[] = {"MICROSOFT.COMPUTE/VIRTUALMACHINES/WRITE", "MICROSOFT.COMPUTE/VIRTUALMACHINES/RESTART/ACTION",
                       "MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/WRITE", "MICROSOFT.STORAGE/STORAGEACCOUNTS/WRITE"};
  const char* callers[] = {"ops@contoso.com", "pipeline-sp", "eve@contoso.com", "dev@contoso.com"};
  const char* subs[] = {"S1", "S2", "S3"};
  int corr = 0;
  for (int i = 0; i < 6000; ++i) {
    const std::int64_t t = static_cast<std::int64_t>(rng() % (7 * 86400));
    const std::string sub = subs[rng() % 3];
    const std::string caller = callers[rng() % 4];
    const std::string c_id = "bg-" + std::to_string(corr++);
    if (i % 100 == 0) {  // ~60 deletes over the week, each VM or disk deleted once
      const bool disk = i % 200 == 0;
      const std::string id = "/SUBSCRIPTIONS/" + sub + "/RESOURCEGROUPS/RG-BG/PROVIDERS/MICROSOFT.COMPUTE/" +
                             (disk ? "DISKS/DISK-BG-" : "VIRTUALMACHINES/VM-BG-") + std::to_string(i);
      const std::string_view op = disk ? kDiskDelete : kVmDelete;
      background += storage_line(at(t), op, "Start", id, c_id, caller) + storage_line(at(t + 20), op, "Success", id, c_id, caller);
    } else {
      background += storage_line(at(t), ops[rng() % 4], "Success", vm(static_cast<int>(rng() % 50), sub), c_id, caller);
    }
  }
  std::vector<engine::Finding> quiet = test::run(c, {background});
  CHECK(count_of(quiet, "AZD-007") == 0);
  CHECK(count_of(quiet, "AZD-008") == 0);

  // The attack: 12 VMs then 12 disks of S2 deleted by one identity within 15 minutes.
  std::string attack;
  const std::int64_t start = 3 * 86400 + 3600;
  for (int i = 0; i < 12; ++i) attack += vm_delete(100 + i, start + i * 30, "mallory@contoso.com", "S2");
  for (int i = 0; i < 12; ++i) {
    const std::string id = "/SUBSCRIPTIONS/S2/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.COMPUTE/DISKS/DISK" + std::to_string(i);
    const std::string c_id = "atk-disk-" + std::to_string(i);
    attack += storage_line(at(start + 400 + i * 30), kDiskDelete, "Start", id, c_id, "mallory@contoso.com") +
              storage_line(at(start + 401 + i * 30), kDiskDelete, "Accept", id, c_id, "mallory@contoso.com") +
              storage_line(at(start + 460 + i * 30), kDiskDelete, "Success", id, c_id, "mallory@contoso.com");
  }
  std::vector<engine::Finding> loud = test::run(c, {background + attack});
  REQUIRE(count_of(loud, "AZD-007") == 1);
  REQUIRE(count_of(loud, "AZD-008") == 1);
  for (const engine::Finding& f : loud) {
    if (f.rule->id != "AZD-007" && f.rule->id != "AZD-008") continue;
    INFO(f.rule->id);
    CHECK(f.count == 12);
    CHECK(f.subscription == "S2");
    CHECK(f.callers == std::vector<std::string>{"mallory@contoso.com"});
  }
}

namespace {

// A lock removed, then a resource under the lock's scope deleted by the same caller within an hour.
constexpr std::string_view kLockThenDelete = R"("sequence": {
    "steps": [
      {"name": "lock removed", "match": {"field": "operation", "equals": "Microsoft.Authorization/locks/delete"}},
      {"name": "resource deleted", "match": {"all": [{"field": "operation", "suffix": "/delete"},
        {"not": {"field": "operation", "equals": "Microsoft.Authorization/locks/delete"}}]}}
    ],
    "same": ["caller"], "scope_of_first": "Microsoft.Authorization/locks", "within": "1h"})";

const std::string kLock = "/subscriptions/S1/resourceGroups/RG/providers/Microsoft.Authorization/locks/keep";

std::string lock_delete(std::int64_t seconds, std::string_view caller = "eve@contoso.com", const std::string& lock = kLock) {
  return storage_line(at(seconds), kLockDelete, "Success", lock, "lock-" + std::to_string(seconds), caller);
}

}  // namespace

TEST_CASE("a lock deleted and then a VM under it deleted by the same caller within the window fires", "[engine][sequence]") {
  auto c = catalog_of({{"Q-1", kLockThenDelete}});
  auto f = test::run(c, {lock_delete(0) + vm_delete(1, 1800)});
  REQUIRE(f.size() == 1);
  CHECK(f[0].count == 2);
  CHECK(f[0].first == kBase);
  CHECK(f[0].last == kBase + 1800 * record::kTicksPerSecond);
  CHECK(f[0].resource_id == vm(1));
  CHECK(f[0].resources.size() == 2);
  CHECK(f[0].group == std::vector<std::pair<std::string, std::string>>{{"caller", "eve@contoso.com"}});
}

TEST_CASE("a sequence does not fire for another caller, outside the window, out of order or out of scope",
          "[engine][sequence]") {
  auto c = catalog_of({{"Q-1", kLockThenDelete}});
  CHECK(test::run(c, {lock_delete(0) + vm_delete(1, 1800, "bob@contoso.com")}).empty());
  CHECK(test::run(c, {lock_delete(0) + vm_delete(1, 3601)}).empty());
  CHECK(test::run(c, {vm_delete(1, 100) + lock_delete(200)}).empty());
  const std::string other_rg = "/subscriptions/S1/resourceGroups/RG-2/providers/Microsoft.Authorization/locks/keep";
  CHECK(test::run(c, {lock_delete(0, "eve@contoso.com", other_rg) + vm_delete(1, 1800)}).empty());
  CHECK(test::run(c, {lock_delete(0)}).empty());
  // A resource group whose name merely starts like the locked one is outside the scope.
  const std::string rg_prefix = "/subscriptions/S1/resourceGroups/R/providers/Microsoft.Authorization/locks/keep";
  CHECK(test::run(c, {lock_delete(0, "eve@contoso.com", rg_prefix) + vm_delete(1, 1800)}).empty());
}

TEST_CASE("a sequence raises one finding per later operation, paired with the latest lock before it", "[engine][sequence]") {
  auto c = catalog_of({{"Q-1", kLockThenDelete}});
  auto f = test::run(c, {lock_delete(0) + lock_delete(600) + vm_delete(1, 1200) + vm_delete(2, 1300)});
  REQUIRE(f.size() == 2);
  CHECK(f[0].first == kBase + 600 * record::kTicksPerSecond);
  CHECK(f[1].first == kBase + 600 * record::kTicksPerSecond);
  CHECK(f[0].fingerprint != f[1].fingerprint);
}

TEST_CASE("a subscription-level lock covers every resource of the subscription", "[engine][sequence]") {
  auto c = catalog_of({{"Q-1", kLockThenDelete}});
  const std::string sub_lock = "/SUBSCRIPTIONS/S1/PROVIDERS/MICROSOFT.AUTHORIZATION/LOCKS/NO-DELETE";
  CHECK(test::run(c, {lock_delete(0, "eve@contoso.com", sub_lock) + vm_delete(1, 60)}).size() == 1);
  CHECK(test::run(c, {lock_delete(0, "eve@contoso.com", sub_lock) + vm_delete(1, 60, "eve@contoso.com", "S2")}).empty());
}

TEST_CASE("duplicate records from overlapping exports count once", "[engine][dedup]") {
  auto c = catalog_of({{"W-1", kBurstRule}});
  std::string text;
  for (int i = 0; i < 5; ++i) text += vm_delete(i, i * 10);
  engine::Engine once(c);
  test::feed(once, {text});
  const auto expected = once.finish();
  REQUIRE(expected.size() == 1);
  CHECK(once.stats().duplicates == 0);

  engine::Engine twice(c);
  test::feed(twice, {text, text});  // the same export read twice
  const auto f = twice.finish();
  CHECK(twice.stats().duplicates == 10);
  CHECK(digest(f) == digest(expected));
  REQUIRE(f.size() == 1);
  CHECK(f[0].evidence_total == 10);
  // The copy kept is the one of the first input, whatever order the records came in.
  for (const engine::Evidence& e : f[0].evidence) CHECK(e.input == "input0");
}

TEST_CASE("records with the same event data id are duplicates even when their text differs", "[engine][dedup]") {
  auto c = test::builtin();
  auto event = [](std::string_view status, std::string_view id, std::string_view extra) {
    return R"({"eventTimestamp":"2024-01-01T00:00:00Z","operationName":{"value":"Microsoft.Compute/virtualMachines/delete"},)"
           R"("status":{"value":")" + std::string(status) + R"("},"eventDataId":")" + std::string(id) +
           R"(","operationId":"op-1","correlationId":"c-1","caller":"eve@contoso.com",)"
           R"("resourceId":"/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1")" +
           std::string(extra) + "}";
  };
  const std::string a = "[" + event("Started", "ed-1", "") + "," + event("Succeeded", "ed-2", "") + "]";
  const std::string b = "[" + event("Succeeded", "ED-2", R"(,"level":"Informational")") + "]";
  engine::Engine e(c);
  test::feed(e, {a, b});
  const auto f = e.finish();
  CHECK(e.stats().duplicates == 1);
  REQUIRE(count_of(f, "AZD-002") == 1);
  CHECK(f[0].evidence_total == 2);
}

TEST_CASE("engines fed disjoint inputs and merged give the same findings as one engine", "[engine][merge]") {
  auto c = catalog_of({{"W-1", kBurstRule}, {"Q-1", kLockThenDelete}});
  const catalog::Catalog builtin = test::builtin();
  std::string text = lock_delete(0);
  for (int i = 0; i < 12; ++i) text += vm_delete(i, 100 + i * 100, i % 3 ? "eve@contoso.com" : "bob@contoso.com");
  std::vector<std::string> lines = lines_of(text);
  std::mt19937 rng(3);
  std::shuffle(lines.begin(), lines.end(), rng);
  const auto half = lines.begin() + static_cast<std::ptrdiff_t>(lines.size() / 2);
  const std::string first = join({lines.begin(), half}), second = join({half, lines.end()});

  for (const catalog::Catalog* cat : {static_cast<const catalog::Catalog*>(&c), &builtin}) {
    engine::Engine one(*cat);
    test::feed(one, {first, second});
    const auto expected = one.finish();
    REQUIRE_FALSE(expected.empty());

    engine::Engine a(*cat), b(*cat);
    test::feed(a, {first}, 0);
    test::feed(b, {second, first}, 1);  // an overlap: `first` again, as a third input
    a.merge(std::move(b));
    const auto merged = a.finish();
    CHECK(digest(merged) == digest(expected));
    CHECK(a.stats().events == one.stats().events + lines.size() / 2);
    CHECK(a.stats().duplicates == lines.size() / 2);
    REQUIRE(merged.size() == expected.size());
    for (std::size_t i = 0; i < merged.size(); ++i) {
      REQUIRE(merged[i].evidence.size() == expected[i].evidence.size());
      for (std::size_t k = 0; k < merged[i].evidence.size(); ++k) {
        CHECK(merged[i].evidence[k].input == expected[i].evidence[k].input);
        CHECK(merged[i].evidence[k].offset == expected[i].evidence[k].offset);
      }
    }
  }
}

// Five VM deletes (VM first .. first+4), two records each, none alike.
std::string five_deletes(int first = 0) {
  std::string text;
  for (int i = first; i < first + 5; ++i) text += vm_delete(i, i * 10);
  return text;
}

TEST_CASE("a copy of an event in a second input counts as that input's duplicate", "[engine][dedup]") {
  auto c = catalog_of({{"W-1", kBurstRule}});
  const std::string text = five_deletes();
  engine::Engine e(c);
  test::feed(e, {text, text + vm_delete(7, 100)});  // the second input has two records of its own
  e.finish();
  CHECK(e.input_stats(0).events == 10);
  CHECK(e.input_stats(0).duplicates == 0);
  CHECK(e.input_stats(1).events == 12);
  CHECK(e.input_stats(1).duplicates == 10);
  CHECK(e.stats().duplicates == 10);
}

TEST_CASE("copies of an event within one input are that input's duplicates", "[engine][dedup]") {
  auto c = catalog_of({{"W-1", kBurstRule}});
  const std::string text = five_deletes();
  engine::Engine e(c);
  test::feed(e, {text + text + text, text});
  const auto f = e.finish();
  CHECK(e.input_stats(0).events == 30);
  CHECK(e.input_stats(0).duplicates == 20);  // the first copy of each event is kept
  CHECK(e.input_stats(1).duplicates == 10);  // every copy: input 0 has them all
  CHECK(e.stats().duplicates == 30);
  REQUIRE(f.size() == 1);
  CHECK(f[0].evidence_total == 10);
}

TEST_CASE("the input with the lower index keeps an event, whatever the arrival order", "[engine][dedup]") {
  auto c = catalog_of({{"W-1", kBurstRule}});
  const std::string text = five_deletes();
  engine::Engine e(c);
  test::feed(e, {text}, 1);  // input1 is read first...
  test::feed(e, {text}, 0);  // ...but input0 comes first in the run
  const auto f = e.finish();
  CHECK(e.input_stats(0).duplicates == 0);
  CHECK(e.input_stats(1).duplicates == 10);
  REQUIRE(f.size() == 1);
  // The copy kept as evidence is the one that is not counted as a duplicate.
  for (const engine::Evidence& ev : f[0].evidence) CHECK(ev.input == "input0");
}

TEST_CASE("per-input duplicates of merged engines are those of one engine fed everything", "[engine][dedup][merge]") {
  auto c = catalog_of({{"W-1", kBurstRule}});
  const std::string a = five_deletes(0), b = five_deletes(3);  // VM3 and VM4 in both
  const std::vector<std::string> inputs = {a, b, a + b};
  engine::Engine one(c);
  test::feed(one, inputs);
  const std::string expected = digest(one.finish());
  auto counts = [](const engine::Engine& e) {
    std::vector<std::uint64_t> out;
    for (std::size_t i = 0; i < 3; ++i) {
      out.push_back(e.input_stats(i).events);
      out.push_back(e.input_stats(i).duplicates);
    }
    return out;
  };
  const std::vector<std::uint64_t> want = {10, 0, 10, 4, 20, 20};
  CHECK(counts(one) == want);

  // Every input in its own engine, merged in every order, with and without each engine
  // sorting its keys first on its own thread (prepare_merge()).
  for (const bool prepared : {false, true}) {
    std::vector<std::size_t> order = {0, 1, 2};
    do {
      INFO("merge order " << order[0] << order[1] << order[2] << (prepared ? ", prepared" : ""));
      std::vector<std::unique_ptr<engine::Engine>> parts;
      for (std::size_t i : order) {
        parts.push_back(std::make_unique<engine::Engine>(c));
        test::feed(*parts.back(), {inputs[i]}, static_cast<int>(i));
        if (prepared) parts.back()->prepare_merge();
      }
      for (std::size_t k = 1; k < parts.size(); ++k) parts[0]->merge(std::move(*parts[k]));
      CHECK(digest(parts[0]->finish()) == expected);
      CHECK(counts(*parts[0]) == want);
      CHECK(parts[0]->stats().duplicates == 24);
    } while (std::next_permutation(order.begin(), order.end()));
  }

  // One input read by two threads, as blocks of a shared JSON Lines file are: each engine
  // holds a sorted run of input 2's keys, and the merge joins the runs.
  engine::Engine x(c), y(c), z(c);
  test::feed(x, {a, b}, 0);
  test::feed(y, {a}, 2);
  test::feed(z, {b}, 2);
  for (engine::Engine* e : {&x, &y, &z}) e->prepare_merge();
  x.merge(std::move(z));
  x.merge(std::move(y));
  CHECK(digest(x.finish()) == expected);
  CHECK(counts(x) == want);
}

TEST_CASE("duplicates are counted exactly among thousands of events, however engines split the inputs", "[engine][dedup][merge]") {
  // Enough keys per engine that they are sorted by radix rather than by compares.
  auto c = catalog_of({{"W-1", kBurstRule}});
  std::string a, b;
  for (int i = 0; i < 600; ++i) a += vm_delete(i, i);        // 1,200 records
  for (int i = 300; i < 900; ++i) b += vm_delete(i, i);      // 1,200, of which 600 are in a
  const std::vector<std::string> inputs = {a, b, a + a};
  // input 0 keeps all of a; input 1 repeats a's 600 shared records; input 2 repeats a twice.
  const std::vector<std::uint64_t> want = {0, 600, 2400};
  auto counts = [](const engine::Engine& e) {
    std::vector<std::uint64_t> out;
    for (std::size_t i = 0; i < 3; ++i) out.push_back(e.input_stats(i).duplicates);
    return out;
  };
  engine::Engine one(c);
  test::feed(one, inputs);
  const std::string expected = digest(one.finish());
  CHECK(counts(one) == want);
  CHECK(one.stats().duplicates == 3000);

  // Input 2 shuffled and read by two engines, input 0 and 1 by two more, merged in every
  // order, with and without sorting on the reading threads.
  std::vector<std::string> lines = lines_of(a + a);
  std::mt19937 rng(11);
  std::shuffle(lines.begin(), lines.end(), rng);
  const auto half = lines.begin() + static_cast<std::ptrdiff_t>(lines.size() / 3);
  const std::vector<std::pair<std::string, int>> parts = {
      {join({lines.begin(), half}), 2}, {inputs[1], 1}, {join({half, lines.end()}), 2}, {inputs[0], 0}};
  for (const bool prepared : {false, true}) {
    std::vector<std::size_t> order = {0, 1, 2, 3};
    do {
      std::vector<std::unique_ptr<engine::Engine>> engines;
      for (std::size_t i : order) {
        engines.push_back(std::make_unique<engine::Engine>(c));
        test::feed(*engines.back(), {parts[i].first}, parts[i].second);
        if (prepared) engines.back()->prepare_merge();
      }
      for (std::size_t k = 1; k < engines.size(); ++k) engines[0]->merge(std::move(*engines[k]));
      CHECK(digest(engines[0]->finish()) == expected);
      CHECK(counts(*engines[0]) == want);
    } while (std::next_permutation(order.begin(), order.end()));
  }
}

TEST_CASE("duplicates are counted exactly among tens of thousands of events, bucket by bucket, also beside the findings", "[engine][dedup][merge]") {
  // Enough keys that finish() counts them in many buckets of key values (about 2,048 keys
  // each), from runs of several engines.
  auto c = catalog_of({{"W-1", kBurstRule}});
  std::string a, b;
  for (int i = 0; i < 5000; ++i) a += vm_delete(i, i);     // 10,000 records
  for (int i = 2500; i < 7500; ++i) b += vm_delete(i, i);  // 10,000, of which 5,000 are in a
  engine::Engine one(c);
  test::feed(one, {b, a + b, a});
  const std::string expected = digest(one.finish());
  auto counts = [](const engine::Engine& e) {
    return std::vector<std::uint64_t>{e.input_stats(0).duplicates, e.input_stats(1).duplicates,
                                      e.input_stats(2).duplicates};
  };
  // Input 1 repeats b whole and half of a; input 2 repeats all of a.
  const std::vector<std::uint64_t> want = {0, 15000, 10000};
  CHECK(counts(one) == want);
  CHECK(one.stats().duplicates == 25000);

  // The same inputs in three engines, input 1 split between two of them, merged.
  const std::vector<std::string> lines = lines_of(b);
  const auto half = lines.begin() + static_cast<std::ptrdiff_t>(lines.size() / 2);
  engine::Engine x(c), y(c), z(c);
  test::feed(x, {b}, 0);
  test::feed(y, {a + join({lines.begin(), half})}, 1);
  test::feed(z, {join({half, lines.end()})}, 1);
  test::feed(z, {a}, 2);
  y.prepare_merge();
  x.merge(std::move(z));
  x.merge(std::move(y));
  // With threads to spare, finish() counts the copies on a second thread, beside the
  // findings: the same findings and counts.
  CHECK(digest(x.finish(2)) == expected);
  CHECK(counts(x) == want);
  CHECK(x.stats().duplicates == 25000);
}

TEST_CASE("duplicates among hundreds of small inputs are counted exactly", "[engine][dedup]") {
  // Many short runs (a folder of small hourly files): finish() then counts in fewer, larger
  // buckets. Input i holds records i .. i + 39 (two per VM delete), so each input but the
  // first repeats all of its predecessor's but the first VM's two records.
  auto c = catalog_of({{"W-1", kBurstRule}});
  std::vector<std::string> inputs;
  for (int i = 0; i < 400; ++i) {
    std::string text;
    for (int k = i; k < i + 20; ++k) text += vm_delete(k, k);
    inputs.push_back(text);
  }
  engine::Engine e(c);
  test::feed(e, inputs);
  e.finish();
  CHECK(e.input_stats(0).duplicates == 0);
  bool all = true;
  for (std::size_t i = 1; i < inputs.size(); ++i) all = all && e.input_stats(i).duplicates == 38;
  CHECK(all);
  CHECK(e.stats().duplicates == 399 * 38);
}

TEST_CASE("events outside since/until are counted per input and never as duplicates", "[engine][dedup][range]") {
  auto c = catalog_of({{"W-1", kBurstRule}});
  const std::string text = five_deletes();
  engine::EngineOptions o;
  o.since = kBase + 15 * record::kTicksPerSecond;  // VM0's and VM1's four records are out of range
  engine::Engine e(c, o);
  test::feed(e, {text, text});
  e.finish();
  for (std::size_t i = 0; i < 2; ++i) {
    CHECK(e.input_stats(i).events == 10);
    CHECK(e.input_stats(i).out_of_range == 4);
  }
  CHECK(e.input_stats(0).duplicates == 0);
  CHECK(e.input_stats(1).duplicates == 6);  // only the in-range copies
  CHECK(e.stats().out_of_range == 8);
}

TEST_CASE("a resource-group delete lists the child resources it removed", "[engine][cascade]") {
  auto c = catalog_of({{"G-1", R"("match": {"field": "operation", "equals": "Microsoft.Resources/subscriptions/resourceGroups/delete"})"}});
  const std::string rg = "/subscriptions/S1/resourceGroups/RG";
  const std::string action = "Microsoft.Resources/subscriptions/resourceGroups/delete";
  const std::string text =
      storage_line(at(0), "MICROSOFT.RESOURCES/SUBSCRIPTIONS/RESOURCEGROUPS/DELETE", "Start", rg, "rg-corr") +
      storage_line(at(5), "MICROSOFT.WEB/CONNECTIONS/DELETE", "Success", rg + "/providers/Microsoft.Web/connections/office",
                   "rg-corr", "eve@contoso.com", "", action) +
      storage_line(at(6), kVmDelete, "Success", vm(1), "RG-CORR", "eve@contoso.com", "", action) +
      storage_line(at(7), kVmDelete, "Success", vm(2), "unrelated", "eve@contoso.com", "", action) +
      storage_line(at(60), "MICROSOFT.RESOURCES/SUBSCRIPTIONS/RESOURCEGROUPS/DELETE", "Success", rg, "rg-corr");
  auto f = test::run(c, {text});
  REQUIRE(f.size() == 1);
  CHECK(f[0].cascaded_resources ==
        std::vector<std::string>{vm(1), rg + "/providers/Microsoft.Web/connections/office"});
}

TEST_CASE("events outside since/until are not evaluated and are counted", "[engine][range]") {
  auto c = catalog_of({{"W-1", kBurstRule}});
  std::string text;
  for (int i = 0; i < 5; ++i) text += vm_delete(i, i * 10);
  engine::EngineOptions o;
  o.since = kBase + 15 * record::kTicksPerSecond;  // drops VM0 and VM1
  engine::Engine e(c, o);
  test::feed(e, {text});
  CHECK(e.finish().empty());
  CHECK(e.stats().out_of_range == 4);  // VM0's and VM1's records (-1 s, 0 s, 9 s, 10 s)
  engine::EngineOptions u;
  u.until = kBase + 40 * record::kTicksPerSecond;
  CHECK(test::run(c, {text}, u).size() == 1);
  u.until = kBase + 39 * record::kTicksPerSecond;
  CHECK(test::run(c, {text}, u).empty());
}

TEST_CASE("a rule filter leaves unselected rules out", "[engine]") {
  auto c = catalog_of({{"W-1", kBurstRule}, {"Q-1", kLockThenDelete}});
  std::string text = lock_delete(0);
  for (int i = 0; i < 5; ++i) text += vm_delete(i, 10 + i * 10);
  CHECK(test::run(c, {text}).size() == 6);
  engine::EngineOptions o;
  o.select = [](const catalog::Detection& d) { return d.id == "W-1"; };
  CHECK(test::run(c, {text}, o).size() == 1);
}
