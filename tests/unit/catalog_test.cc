#include <catch2/catch.hpp>

#include <algorithm>

#include "catalog/catalog.h"

using namespace azd::catalog;

namespace {
const char* kMinimal = R"({
  "azdetect_rule": 1, "id": "T-001", "title": "t", "description": "d", "severity": "high",
  "status": "test", "attack": {"tactics": ["TA0040"], "techniques": ["T1485"]},
  "match": {"all": [{"field": "operation", "equals": "A/B/delete"}, {"path": "properties.x", "exists": true}]},
  "remediation": {"summary": "s", "why": "w", "triage": ["look"], "containment": [{"text": "c", "command": "az x"}]}
})";
}

TEST_CASE("every built-in rule parses and has remediation and ATT&CK ids", "[catalog]") {
  Catalog c;
  std::vector<LintError> errors;
  REQUIRE(load_builtin(&c, &errors));
  CHECK(errors.empty());
  REQUIRE_FALSE(c.rules().empty());
  for (const Detection& d : c.rules()) {
    INFO(d.id);
    CHECK_FALSE(d.remediation.summary.empty());
    CHECK_FALSE(d.remediation.triage.empty());
    CHECK_FALSE(d.attack.techniques.empty());
  }
}

TEST_CASE("a minimal valid rule parses into conditions", "[catalog]") {
  Catalog c;
  std::vector<LintError> errors;
  REQUIRE(c.add_from_text("mem", kMinimal, &errors));
  const Detection* d = c.find("T-001");
  REQUIRE(d);
  CHECK(d->severity == Severity::high);
  REQUIRE(d->match.kind == Condition::Kind::all);
  REQUIRE(d->match.children.size() == 2);
  CHECK(d->match.children[1].field == Field::raw);
  CHECK(d->match.children[1].path == "properties.x");
  CHECK(d->remediation.containment[0].command == "az x");
  CHECK(d->outcome == Outcome::succeeded);
}

TEST_CASE("a duplicate rule id is refused", "[catalog]") {
  Catalog c;
  std::vector<LintError> errors;
  REQUIRE(c.add_from_text("a", kMinimal, &errors));
  CHECK_FALSE(c.add_from_text("b", kMinimal, &errors));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].field == "id");
}

TEST_CASE("lint errors name the file and the offending field", "[catalog][lint]") {
  std::string bad = kMinimal;
  bad.replace(bad.find("\"high\""), 6, "\"severe\"");
  bad.replace(bad.find("T1485"), 5, "X1485");
  bad.replace(bad.find("\"field\": \"operation\""), 20, "\"field\": \"nope\"");
  Catalog c;
  std::vector<LintError> errors;
  CHECK_FALSE(c.add_from_text("rules/x.json", bad, &errors));
  std::vector<std::string> fields;
  for (const auto& e : errors) {
    CHECK(e.file == "rules/x.json");
    fields.push_back(e.field);
  }
  CHECK(std::count(fields.begin(), fields.end(), "severity") == 1);
  CHECK(std::count(fields.begin(), fields.end(), "attack.techniques") == 1);
  CHECK(std::count(fields.begin(), fields.end(), "match.all[0].field") == 1);
  CHECK(c.rules().empty());
}

TEST_CASE("lint errors name nested conditions, sequence steps and remediation steps by their path",
          "[catalog][lint]") {
  const char* bad = R"({
    "azdetect_rule": 1, "id": "T-002", "title": "t", "description": "d", "severity": "high",
    "status": "test", "attack": {"tactics": ["TA0040"], "techniques": ["T1485"]},
    "sequence": {"same": ["caller"], "within": "1h", "steps": [
      {"name": "a", "match": {"field": "operation", "equals": "A/B/write"}},
      {"name": "b", "match": {"any": [{"field": "operation", "equals": "A/B/delete"},
                                       {"not": {"path": "properties.x", "equals": []}},
                                       {"all": [{"field": "caller", "prefix": "x", "case_sensitive": 3}]}]},
       "outcome": "sometimes"}]},
    "remediation": {"summary": "s", "why": "w", "triage": ["look at {nothing}"],
                    "containment": ["c", {"command": 5}, 7]}
  })";
  Catalog c;
  std::vector<LintError> errors;
  CHECK_FALSE(c.add_from_text("rules/y.json", bad, &errors));
  std::vector<std::string> fields;
  for (const auto& e : errors) fields.push_back(e.field);
  INFO(Catch::Detail::stringify(fields));
  for (const char* want : {"sequence.steps[1].match.any[1].not.equals", "sequence.steps[1].match.any[2].all[0].case_sensitive",
                           "sequence.steps[1].outcome", "remediation.triage[0].text", "remediation.containment[1].text",
                           "remediation.containment[1].command", "remediation.containment[2]"}) {
    CHECK(std::count(fields.begin(), fields.end(), want) == 1);
  }
}

TEST_CASE("window thresholds: gt N means at least N+1", "[catalog][window]") {
  std::string w = kMinimal;
  w.insert(w.rfind('}'), R"(, "window": {"group_by": ["subscription"], "count": "distinct", "distinct": "resource_id", "timespan": "20m", "gt": 10})");
  Catalog c;
  std::vector<LintError> errors;
  REQUIRE(c.add_from_text("w", w, &errors));
  const WindowSpec& spec = c.rules()[0].window;
  CHECK(spec.present);
  CHECK(spec.threshold == 11);
  CHECK(spec.timespan_ticks == 20LL * 60 * 10'000'000);
  REQUIRE(spec.group_by.size() == 1);
  CHECK(spec.group_by[0] == Field::subscription);
}

TEST_CASE("window thresholds beyond a billion, negative or missing are lint errors", "[catalog][window][lint]") {
  for (const char* threshold : {R"("gte": 1e308)", R"("gt": 1e308)", R"("gte": 1000000001)", R"("gt": 1000000000)",
                                R"("gte": 0)", R"("gt": -1)", R"("count_gte": 3)"}) {
    INFO(threshold);
    std::string w = kMinimal;
    w.insert(w.rfind('}'), std::string(R"(, "window": {"group_by": ["subscription"], "count": "operations", "timespan": "20m", )") +
                               threshold + "}");
    Catalog c;
    std::vector<LintError> errors;
    CHECK_FALSE(c.add_from_text("w", w, &errors));
    CHECK(std::any_of(errors.begin(), errors.end(), [](const LintError& e) { return e.field == "window"; }));
  }
  std::string w = kMinimal;
  w.insert(w.rfind('}'), R"(, "window": {"group_by": ["subscription"], "count": "operations", "timespan": "20m", "gte": 1000000000})");
  Catalog c;
  std::vector<LintError> errors;
  REQUIRE(c.add_from_text("w", w, &errors));
  CHECK(c.rules()[0].window.threshold == 1'000'000'000);
}

TEST_CASE("durations parse with s, m, h, d and w units", "[catalog]") {
  std::int64_t t = 0;
  CHECK(parse_duration("90s", &t));
  CHECK(t == 900'000'000);
  CHECK(parse_duration("7d", &t));
  CHECK(t == 7LL * 86400 * 10'000'000);
  CHECK_FALSE(parse_duration("7", &t));
  CHECK_FALSE(parse_duration("m", &t));
  CHECK_FALSE(parse_duration("5y", &t));
}

TEST_CASE("a misspelt remediation placeholder is a lint error, az --query braces are not", "[catalog][lint]") {
  std::string text = kMinimal;
  text.replace(text.find("\"summary\": \"s\""), 14, R"("summary": "ask {callr}")");
  text.replace(text.find("\"command\": \"az x\""), 17, R"("command": "az x --query \"[].{op:operationName.value}\" {resource_group}")");
  Catalog c;
  std::vector<LintError> errors;
  CHECK_FALSE(c.add_from_text("p.json", text, &errors));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].field == "remediation.summary");
  CHECK(errors[0].message.find("{callr}") != std::string::npos);
}
