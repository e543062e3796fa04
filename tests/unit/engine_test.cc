#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "catalog/catalog.h"
#include "engine/engine.h"
#include "input/input.h"
#include "record/record.h"
#include "test_support.h"

using namespace azd;

namespace {

using test::builtin;
using test::run;

std::string line(std::string_view time, std::string_view op, std::string_view result, std::string_view resource,
                 std::string_view corr) {
  return test::storage_line(time, op, result, resource, corr);
}

constexpr const char* kVm = "/SUBSCRIPTIONS/S1/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.COMPUTE/VIRTUALMACHINES/VM1";

// A catalog of test rules (outcome "any"), one per (id, JSON match condition).
catalog::Catalog rules_of(const std::vector<std::pair<std::string, std::string>>& conditions) {
  catalog::Catalog c;
  std::vector<catalog::LintError> errors;
  for (const auto& [id, match] : conditions) {
    const std::string rule = R"({"azdetect_rule": 1, "id": ")" + id +
                             R"(", "title": "t", "description": "d", "severity": "high", "status": "test",
      "attack": {"tactics": ["TA0040"], "techniques": ["T1485"]}, "outcome": "any", "match": )" +
                             match + R"(, "remediation": {"summary": "s", "why": "w", "triage": ["look"],
      "containment": [{"text": "c", "command": "az x"}]}})";
    REQUIRE(c.add_from_text(id, rule, &errors));
  }
  return c;
}
constexpr const char* kDelete = "MICROSOFT.COMPUTE/VIRTUALMACHINES/DELETE";

}  // namespace

TEST_CASE("a succeeded VM delete of three records is one finding", "[engine][operation]") {
  auto c = builtin();
  auto f = run(c, {line("2024-01-01T00:00:00Z", kDelete, "Start", kVm, "c1") +
                   line("2024-01-01T00:00:01Z", kDelete, "Accept", kVm, "c1") +
                   line("2024-01-01T00:02:00Z", kDelete, "Success", kVm, "c1")});
  REQUIRE(f.size() == 1);
  CHECK(f[0].rule->id == "AZD-002");
  CHECK(f[0].count == 1);
  CHECK(f[0].evidence.size() == 3);
  CHECK(f[0].status == "Succeeded");
  CHECK(f[0].resource_group == "RG");
  CHECK(f[0].callers == std::vector<std::string>{"eve@contoso.com"});
  CHECK(record::format_time(f[0].first) == "2024-01-01T00:00:00.0000000Z");
  CHECK(record::format_time(f[0].last) == "2024-01-01T00:02:00.0000000Z");
}

TEST_CASE("a VM delete that only started, or failed, raises no VM-deleted finding", "[engine][operation]") {
  auto c = builtin();
  CHECK(run(c, {line("2024-01-01T00:00:00Z", kDelete, "Start", kVm, "c1")}).empty());
  CHECK(run(c, {line("2024-01-01T00:00:00Z", kDelete, "Start", kVm, "c1") +
                line("2024-01-01T00:00:01Z", kDelete, "Failure", kVm, "c1")})
            .empty());
}

TEST_CASE("operation names match whatever their case", "[engine]") {
  auto c = builtin();
  auto f = run(c, {line("2024-01-01T00:00:00Z", "microsoft.compute/virtualMachines/DELETE", "Success", kVm, "c1")});
  CHECK(f.size() == 1);
}

TEST_CASE("records of one operation split across inputs give the same finding", "[engine][order]") {
  auto c = builtin();
  const std::string a = line("2024-01-01T00:00:00Z", kDelete, "Start", kVm, "c1");
  const std::string b = line("2024-01-01T00:02:00Z", kDelete, "Success", kVm, "c1");
  auto one = run(c, {a + b});
  auto split = run(c, {b, a});
  REQUIRE(one.size() == 1);
  REQUIRE(split.size() == 1);
  CHECK(one[0].fingerprint == split[0].fingerprint);
  CHECK(one[0].first == split[0].first);
}

TEST_CASE("conditions support prefix, suffix, contains, wildcard, exists and numbers", "[engine][match]") {
  record::EventView ev;
  ev.operation = "Microsoft.Compute/virtualMachines/delete";
  ev.caller = "Eve@Contoso.com";
  ev.substatus = "409";
  auto leaf = [](catalog::Field f, catalog::Condition::Op op, std::vector<std::string> v = {}, double n = 0) {
    catalog::Condition c;
    c.field = f;
    c.op = op;
    c.values = std::move(v);
    c.number = n;
    return c;
  };
  using Op = catalog::Condition::Op;
  using F = catalog::Field;
  CHECK(engine::matches(leaf(F::operation, Op::prefix, {"MICROSOFT.COMPUTE/"}), ev));
  CHECK(engine::matches(leaf(F::operation, Op::suffix, {"/DELETE"}), ev));
  CHECK(engine::matches(leaf(F::caller, Op::contains, {"contoso"}), ev));
  CHECK(engine::matches(leaf(F::operation, Op::wildcard, {"microsoft.*/virtualmachines/*"}), ev));
  CHECK_FALSE(engine::matches(leaf(F::operation, Op::wildcard, {"microsoft.network/*"}), ev));
  CHECK(engine::matches(leaf(F::substatus, Op::gte, {}, 409), ev));
  CHECK_FALSE(engine::matches(leaf(F::substatus, Op::gt, {}, 409), ev));
  auto exists = leaf(F::caller_ip, Op::exists);
  exists.expect_exists = false;
  CHECK(engine::matches(exists, ev));
  auto cs = leaf(F::caller, Op::equals, {"eve@contoso.com"});
  cs.case_sensitive = true;
  CHECK_FALSE(engine::matches(cs, ev));
  catalog::Condition neg;
  neg.kind = catalog::Condition::Kind::negate;
  neg.children.push_back(leaf(F::operation, Op::contains, {"network"}));
  CHECK(engine::matches(neg, ev));
}

TEST_CASE("findings are the same whether the reader maps the claims at once or leaves them to the engine",
          "[engine][lazy]") {
  auto c = builtin();
  // A windowed rule grouped by caller (mass disk deletion) and single-event rules.
  std::string text;
  for (int i = 0; i < 12; ++i) {
    const std::string n = std::to_string(i);
    std::string time = "2024-01-01T00:00:00Z";
    time[15] = static_cast<char>('0' + i % 10);  // one minute apart
    text += line(time, "MICROSOFT.COMPUTE/DISKS/DELETE", "Success",
                 std::string("/SUBSCRIPTIONS/S1/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.COMPUTE/DISKS/D").append(n),
                 std::string("d").append(n));
  }
  text += line("2024-01-01T00:00:00Z", kDelete, "Success", kVm, "c1");
  auto findings = [&](bool lazy) {
    engine::Engine e(c);
    test::feed(e, {text}, 0, lazy);
    return e.finish();
  };
  const auto eager = findings(false), lazy = findings(true);
  REQUIRE(eager.size() >= 2);
  REQUIRE(lazy.size() == eager.size());
  for (std::size_t i = 0; i < eager.size(); ++i) {
    CHECK(lazy[i].rule->id == eager[i].rule->id);
    CHECK(lazy[i].fingerprint == eager[i].fingerprint);
    CHECK(lazy[i].callers == eager[i].callers);
    CHECK(lazy[i].callers == std::vector<std::string>{"eve@contoso.com"});
    CHECK(lazy[i].group == eager[i].group);
    REQUIRE(lazy[i].evidence.size() == eager[i].evidence.size());
    for (std::size_t k = 0; k < eager[i].evidence.size(); ++k) CHECK(lazy[i].evidence[k].caller == eager[i].evidence[k].caller);
  }
}

TEST_CASE("a filter compiled once matches lazily read events on the caller their claims give", "[engine][match][lazy]") {
  catalog::Condition by_caller;
  by_caller.field = catalog::Field::caller;
  by_caller.op = catalog::Condition::Op::contains;
  by_caller.values = {"CONTOSO"};
  catalog::Condition by_operation = by_caller;
  by_operation.field = catalog::Field::operation;
  by_operation.values = {"virtualmachines/delete"};
  const engine::EventFilter caller_filter(by_caller), operation_filter(by_operation);
  int n = 0;
  const std::string text = line("2024-01-01T00:00:00Z", kDelete, "Success", kVm, "c1");
  test::read_events(text, true, [&](const record::EventView& ev) {
    ++n;
    CHECK(ev.pending);
    CHECK(ev.caller.empty());  // the UPN is in the claims
    CHECK(caller_filter.matches(ev));
    CHECK(operation_filter.matches(ev));
    CHECK(engine::matches(by_caller, ev));
  });
  CHECK(n == 1);
}

TEST_CASE("rules on the operation name fire exactly when a filter with their condition matches the event",
          "[engine][match]") {
  // The engine compares operation names folded once per event; a filter (and a rule's
  // case-sensitive condition) reads the name as written. Both must agree, whatever the case.
  const std::vector<std::pair<std::string, std::string>> conditions = {
      {"T-101", R"({"field": "operation", "equals": "MICROSOFT.Compute/virtualMachines/DELETE"})"},
      {"T-102", R"({"field": "operation", "prefix": "Microsoft.COMPUTE/"})"},
      {"T-103", R"({"field": "operation", "suffix": ["/Write", "/Delete"]})"},
      {"T-104", R"({"field": "operation", "contains": "VIRTUALmachines"})"},
      {"T-105", R"({"field": "operation", "wildcard": "microsoft.*/VIRTUALMACHINES/*"})"},
      {"T-106", R"({"field": "operation", "equals": "Microsoft.Compute/virtualMachines/delete", "case_sensitive": true})"},
      {"T-107", R"({"field": "operation", "suffix": "/delete", "case_sensitive": true})"},
      {"T-108", R"({"not": {"field": "operation", "prefix": "MICROSOFT.NETWORK/"}})"},
  };
  const catalog::Catalog c = rules_of(conditions);
  const std::vector<std::pair<std::string, std::set<std::string>>> cases = {
      {"Microsoft.Compute/virtualMachines/delete",
       {"T-101", "T-102", "T-103", "T-104", "T-105", "T-106", "T-107", "T-108"}},
      {"MICROSOFT.COMPUTE/VIRTUALMACHINES/DELETE", {"T-101", "T-102", "T-103", "T-104", "T-105", "T-108"}},
      {"microsoft.network/networkInterfaces/WRITE", {"T-103"}},
      {"Microsoft.Storage/storageAccounts/listKeys/action", {"T-108"}},
  };
  for (const auto& [op, expected] : cases) {
    INFO(op);
    std::set<std::string> fired;
    for (const engine::Finding& f : test::run(c, {line("2024-01-01T00:00:00Z", op, "Success", kVm, "c1")})) {
      fired.insert(f.rule->id);
    }
    CHECK(fired == expected);
    record::EventView ev;
    ev.operation = op;
    std::set<std::string> filtered;
    for (const catalog::Detection& d : c.rules()) {
      if (engine::matches(d.match, ev)) filtered.insert(d.id);
    }
    CHECK(filtered == expected);
  }
}

TEST_CASE("rules requiring the end of the operation name fire on every name ending so, in the case they allow",
          "[engine][match]") {
  // Not anchored on a name, such rules meet every event; their suffixes compare with the
  // folded name unless the rule is case-sensitive, and the rest of the condition decides.
  const catalog::Catalog c = rules_of({
      {"T-201", R"({"field": "operation", "suffix": ["/Delete", "ete", "/delete/action"]})"},
      {"T-202", R"({"field": "operation", "suffix": "/Delete", "case_sensitive": true})"},
      {"T-203", R"({"all": [{"field": "category", "equals": "administrative"}, {"field": "operation", "suffix": "/WRITE"}]})"},
      {"T-204", R"({"all": [{"field": "operation", "suffix": "/write"}, {"field": "category", "equals": "Policy"}]})"},
  });
  auto fired = [&](const std::string& op) {
    std::map<std::string, std::size_t> evidence;  // rule -> records behind its finding
    for (const engine::Finding& f : test::run(c, {line("2024-01-01T00:00:00Z", op, "Success", kVm, "c1")})) {
      evidence[f.rule->id] += f.evidence_total;
    }
    return evidence;
  };
  CHECK(fired("A/B/delete") == std::map<std::string, std::size_t>{{"T-201", 1}});
  CHECK(fired("A/B/Delete") == std::map<std::string, std::size_t>{{"T-201", 1}, {"T-202", 1}});
  CHECK(fired("A/B/DELETE/ACTION") == std::map<std::string, std::size_t>{{"T-201", 1}});
  CHECK(fired("a/b/Write") == std::map<std::string, std::size_t>{{"T-203", 1}});
  CHECK(fired("A/B/read").empty());
}

namespace {
// The reader's source for one event, counting how often the engine completes it.
class CountingSource final : public record::EventSource {
 public:
  explicit CountingSource(const record::EventSource* inner) : inner_(inner) {}
  bool raw_field(std::string_view path, std::string* out) const override { return inner_->raw_field(path, out); }
  std::uint64_t line_of(std::uint64_t offset) const override { return inner_->line_of(offset); }
  void complete(record::EventView* ev) const override {
    ++completed;
    inner_->complete(ev);
  }
  mutable int completed = 0;

 private:
  const record::EventSource* inner_;
};
}  // namespace

TEST_CASE("rules that read past the operation and status complete only the events those leave possible",
          "[engine][match][lazy]") {
  // A lazily read storage event carries its time, operation, status and category; a rule
  // that tests the status before the message reads the rest of the record only for the
  // failures, and one anchored on an operation only for that operation.
  const catalog::Catalog c = rules_of({
      {"T-301", R"({"all": [{"field": "status", "equals": "Failed"}, {"field": "status_message", "contains": "AuthorizationFailed"}]})"},
      {"T-302", R"({"all": [{"field": "operation", "equals": "Microsoft.Web/sites/write"}, {"field": "caller", "contains": "mallory"}]})"},
  });
  auto with_message = [](std::string s, std::string_view message) {
    s.insert(s.size() - 2, R"(,"properties":{"statusMessage":")" + std::string(message) + "\"}");
    return s;
  };
  const std::string kWrite = "MICROSOFT.COMPUTE/VIRTUALMACHINES/WRITE";
  struct Case {
    std::string line;
    int completions;
  };
  const std::vector<Case> cases = {
      {line("2024-01-01T00:00:00Z", kWrite, "Success", kVm, "c1"), 0},
      {with_message(line("2024-01-01T00:00:01Z", kWrite, "Failure", kVm, "c2"), "AuthorizationFailed"), 1},
      {with_message(line("2024-01-01T00:00:02Z", kWrite, "Failure", kVm, "c3"), "Conflict"), 1},
      {line("2024-01-01T00:00:03Z", "MICROSOFT.WEB/SITES/WRITE", "Success", kVm, "c4"), 1},
      // Deletes are read whole for the resource-group cascade (authorization.action).
      {line("2024-01-01T00:00:04Z", "MICROSOFT.COMPUTE/DISKS/DELETE", "Success", kVm, "c5"), 1},
  };
  engine::Engine e(c);
  record::Reader reader;
  reader.set_lazy(true);
  for (const Case& k : cases) {
    INFO(k.line);
    int seen = 0;
    const record::ReadResult read = test::read_events(reader, k.line, [&](const record::EventView& ev) {
      ++seen;
      CHECK(ev.pending);
      CountingSource counting(ev.source);
      record::EventView view = ev;
      view.source = &counting;
      e.on_event(view);
      CHECK(counting.completed == k.completions);
    });
    REQUIRE_FALSE(read.fatal);
    CHECK(seen == 1);
  }
  std::map<std::string, std::size_t> fired;
  for (const engine::Finding& f : e.finish()) fired[f.rule->id] += f.evidence_total;
  CHECK(fired == std::map<std::string, std::size_t>{{"T-301", 1}});
}
