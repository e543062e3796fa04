#include <catch2/catch.hpp>

#include <cstdio>
#include <random>
#include <string>

#include "base/text.h"
#include "catalog/catalog.h"
#include "engine/engine.h"
#include "report/json_writer.h"
#include "report/report.h"

using namespace azd;

TEST_CASE("remediation placeholders are filled from the finding", "[report]") {
  engine::Finding f;
  f.resource_group = "prod-web";
  f.resource_name = "web-01";
  f.callers = {"eve@contoso.com"};
  f.first = 0;
  CHECK(report::fill_placeholders("az vm show -g {resource_group} -n {resource_name}", f) ==
        "az vm show -g prod-web -n web-01");
  CHECK(report::fill_placeholders("by {caller} at {first_time}", f) ==
        "by eve@contoso.com at 1970-01-01T00:00:00.0000000Z");
}

TEST_CASE("placeholders without a value stay visible for the analyst to fill", "[report]") {
  engine::Finding f;
  CHECK(report::fill_placeholders("az lock list -g {resource_group} {unknown}", f) ==
        "az lock list -g {resource_group} {unknown}");
}

TEST_CASE("terminal escaping neutralises ANSI escapes and C1 controls", "[report][security]") {
  CHECK(base::escape_for_terminal("vm\x1b[31mred") == "vm\\x1b[31mred");
  CHECK(base::escape_for_terminal("a\nb\tc") == "a\\nb\\tc");
  CHECK(base::escape_for_terminal("\xC2\x9B" "2J") == "\\u009b2J");
  CHECK(base::escape_for_terminal("caf\xC3\xA9") == "caf\xC3\xA9");
}

// JSON string escaping, written the slow, obvious way: one byte at a time.
std::string json_string_by_byte(std::string_view s) {
  std::string out = "\"";
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    const auto next = i + 1 < s.size() ? static_cast<unsigned char>(s[i + 1]) : 0;
    char hex[8];
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7f) {
      std::snprintf(hex, sizeof hex, "\\u%04x", c);
      out += hex;
    } else if (c == 0xC2 && next >= 0x80 && next <= 0x9F) {
      std::snprintf(hex, sizeof hex, "\\u%04x", next);
      out += hex;
      ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

TEST_CASE("JSON strings escape every control, quote and backslash wherever it falls", "[report][security]") {
  std::string out;
  report::detail::append_json_string(&out, "a\"b\\c\x01\x7f\xC2\x9B" "2J\xC2\xA9");
  CHECK(out == "\"a\\\"b\\\\c\\u0001\\u007f\\u009b2J\xC2\xA9\"");
  // The writer tests 16 bytes at a time: put each kind of byte at every position of strings
  // around one, two and three such steps, in plain text and among other such bytes.
  const std::string specials[] = {"\"", "\\", "\n", "\r", "\t", std::string(1, '\0'), "\x1f", "\x7f",
                                  "\xC2\x85", "\xC2\x9F", "\xC2\xA0", "\xC3\xA9", " ", "~"};
  std::mt19937 rng(5);
  for (std::size_t len = 0; len <= 50; ++len) {
    for (std::size_t at = 0; at <= len; ++at) {
      for (const std::string& special : specials) {
        std::string s(len, 'x');
        s.insert(at, special);
        if (rng() % 3 == 0) s.insert(rng() % (s.size() + 1), specials[rng() % std::size(specials)]);
        out.clear();
        report::detail::append_json_string(&out, s);
        INFO("length " << len << ", at " << at);
        REQUIRE(out == json_string_by_byte(s));
      }
    }
  }
}

TEST_CASE("glob matching is linear and case-insensitive on request", "[base]") {
  CHECK(base::glob_match("AZD-0*", "azd-002", true));
  CHECK_FALSE(base::glob_match("AZD-0*", "azd-002", false));
  CHECK(base::glob_match("*a*a*a*a*b", std::string(200, 'a') + "b", false));
  CHECK_FALSE(base::glob_match("*a*a*a*a*b", std::string(200, 'a'), false));
}

TEST_CASE("csv cells that a spreadsheet would evaluate are neutralised", "[report][security]") {
  auto cell = [](std::string_view s) {
    std::string out;
    report::append_csv_cell(&out, s);
    return out;
  };
  CHECK(cell("=1+2") == "\"'=1+2\"");
  CHECK(cell("+cmd") == "\"'+cmd\"");
  CHECK(cell("-2") == "\"'-2\"");
  CHECK(cell("@SUM(A1)") == "\"'@SUM(A1)\"");
  CHECK(cell("\tx") == "\\tx");  // a visible escape, which no spreadsheet strips
  CHECK(cell("a,b") == "\"a,b\"");
  CHECK(cell("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(cell("line\nbreak\x1b[2J") == "line\\nbreak\\x1b[2J");
  CHECK(cell("plain") == "plain");
  CHECK(cell("") == "");
}

TEST_CASE("summary top lists are ordered by count, then name, and capped", "[report]") {
  catalog::Detection high, low;
  high.id = "AZD-900";
  high.severity = catalog::Severity::high;
  low.id = "AZD-100";
  low.severity = catalog::Severity::low;
  std::vector<engine::Finding> findings(8);
  for (std::size_t i = 0; i < findings.size(); ++i) {
    findings[i].rule = i < 3 ? &high : &low;
    findings[i].callers = {"caller-" + std::to_string(i % 7)};
  }
  report::Summary s;
  s.add_findings(findings);
  CHECK(s.findings == 8);
  CHECK(s.by_severity[static_cast<int>(catalog::Severity::high)] == 3);
  CHECK(s.by_severity[static_cast<int>(catalog::Severity::low)] == 5);
  REQUIRE(s.top_rules.size() == 2);
  CHECK(s.top_rules[0].name == "AZD-100");
  CHECK(s.top_rules[0].count == 5);
  REQUIRE(s.top_callers.size() == report::kTopEntries);
  CHECK(s.top_callers[0].name == "caller-0");  // 2 findings; the rest tie at 1, by name
  CHECK(s.top_callers[1].name == "caller-1");
}

TEST_CASE("the covered time span ignores events without a time", "[report]") {
  report::Summary s;
  s.note_event_time(record::kNoTime);
  CHECK(s.first_event == record::kNoTime);
  s.note_event_time(50);
  s.note_event_time(10);
  s.note_event_time(record::kNoTime);
  s.note_event_time(30);
  CHECK(s.first_event == 10);
  CHECK(s.last_event == 50);
}
