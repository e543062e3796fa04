#include <catch2/catch.hpp>

#include "base/text.h"
#include "catalog/catalog.h"
#include "engine/engine.h"
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

TEST_CASE("glob matching is linear and case-insensitive on request", "[base]") {
  CHECK(base::glob_match("AZD-0*", "azd-002", true));
  CHECK_FALSE(base::glob_match("AZD-0*", "azd-002", false));
  CHECK(base::glob_match("*a*a*a*a*b", std::string(200, 'a') + "b", false));
  CHECK_FALSE(base::glob_match("*a*a*a*a*b", std::string(200, 'a'), false));
}
