// Run controls: --since/--until parsing, rule selection, and suppressions.
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>

#include "control/control.h"
#include "test_support.h"

using namespace azd;
using record::kTicksPerSecond;

namespace {

constexpr record::Ticks kNow = 1'772'330'400LL * kTicksPerSecond;  // 2026-03-01T02:00:00Z

record::Ticks time_of(std::string_view text) {
  record::Ticks t = 0;
  REQUIRE(record::parse_time(text, &t));
  return t;
}

// A finding as a windowed rule would report it.
engine::Finding finding(const catalog::Detection* rule, std::vector<std::string> callers,
                        std::vector<std::string> ips, std::vector<std::string> resources) {
  engine::Finding f;
  f.rule = rule;
  f.callers = std::move(callers);
  f.caller_ips = std::move(ips);
  f.resources = std::move(resources);
  return f;
}

std::string write_temp(std::string_view name, std::string_view text) {
  const std::string path = std::string(AZD_BUILD_DIR) + "/" + std::string(name);
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

}  // namespace

TEST_CASE("time bounds read RFC 3339 with offsets, bare dates and durations before now", "[control][time]") {
  record::Ticks t = 0;
  std::string err;
  CHECK(control::parse_time_bound("2026-02-28T10:00:00Z", kNow, &t, &err));
  CHECK(t == time_of("2026-02-28T10:00:00Z"));
  CHECK(control::parse_time_bound("2026-02-28T12:00:00+02:00", kNow, &t, &err));
  CHECK(t == time_of("2026-02-28T10:00:00Z"));
  CHECK(control::parse_time_bound("2026-02-28T05:30:00.5-04:30", kNow, &t, &err));
  CHECK(t == time_of("2026-02-28T10:00:00.5Z"));
  CHECK(control::parse_time_bound("2026-02-28", kNow, &t, &err));
  CHECK(t == time_of("2026-02-28T00:00:00Z"));
  CHECK(control::parse_time_bound("24h", kNow, &t, &err));
  CHECK(t == kNow - 24 * 3600 * kTicksPerSecond);
  CHECK(control::parse_time_bound("7d", kNow, &t, &err));
  CHECK(t == kNow - 7 * 86400 * kTicksPerSecond);
  CHECK(control::parse_time_bound("90m", kNow, &t, &err));
  CHECK(t == kNow - 90 * 60 * kTicksPerSecond);
}

TEST_CASE("malformed --since/--until values are rejected with a reason", "[control][time]") {
  record::Ticks t = 0;
  for (const char* bad : {"", "yesterday", "24", "h", "-5h", "0h", "7y", "2026-02-30T00:00:00Z", "2026-13-01",
                          "2026-02-28T25:00:00Z", "2026-02-28T10:00:00+24:00", "2026-02-28 garbage", "/Date(1)/",
                          "4/28/2021, 2:32:14.029 PM"}) {
    INFO(bad);
    std::string err;
    CHECK_FALSE(control::parse_time_bound(bad, kNow, &t, &err));
    CHECK_FALSE(err.empty());
  }
}

TEST_CASE("rule selection by id, glob, exclusion, ATT&CK id, tag and minimum severity", "[control][select]") {
  const catalog::Catalog c = test::builtin();
  const catalog::Detection* vm_deleted = c.find("AZD-002");
  const catalog::Detection* mass_vm = c.find("AZD-008");
  REQUIRE(vm_deleted);
  REQUIRE(mass_vm);
  auto resolve = [&](control::Settings s) {
    control::Controls out;
    std::vector<std::string> errors;
    REQUIRE(control::resolve(s, c, kNow, &out, &errors));
    return out;
  };
  control::Settings s;
  s.rules = {"azd-00*"};
  s.exclude_rules = {"AZD-002"};
  auto sel = resolve(s);
  CHECK(sel.selects(*mass_vm));
  CHECK_FALSE(sel.selects(*vm_deleted));

  control::Settings tag;
  tag.tags = {"T1578"};  // a parent technique selects its sub-techniques
  CHECK(resolve(tag).selects(*mass_vm));
  tag.tags = {"ta0040"};
  CHECK(resolve(tag).selects(*vm_deleted));
  tag.tags = {"burst"};
  CHECK(resolve(tag).selects(*mass_vm));
  CHECK_FALSE(resolve(tag).selects(*vm_deleted));

  control::Settings sev;
  sev.min_severity = "high";
  CHECK(resolve(sev).selects(*mass_vm));
  CHECK_FALSE(resolve(sev).selects(*vm_deleted));
}

TEST_CASE("a --rule, --exclude-rule or --tag that names no rule is an error", "[control][select]") {
  const catalog::Catalog c = test::builtin();
  control::Settings s;
  s.rules = {"AZD-9999"};
  s.tags = {"T9999"};
  s.since = "2026-03-01T00:00:00Z";
  s.until = "2026-02-01T00:00:00Z";
  control::Controls out;
  std::vector<std::string> errors;
  CHECK_FALSE(control::resolve(s, c, kNow, &out, &errors));
  REQUIRE(errors.size() == 3);
  CHECK(errors[0].find("--since is after --until") != std::string::npos);
  CHECK(errors[1].find("--rule 'AZD-9999' names no rule") != std::string::npos);
  CHECK(errors[2].find("--tag 'T9999'") != std::string::npos);
}

TEST_CASE("caller IPs match addresses and CIDR blocks, IPv4 and IPv6", "[control][suppress]") {
  CHECK(control::ip_in_block("10.1.2.3", "10.0.0.0/8"));
  CHECK_FALSE(control::ip_in_block("11.1.2.3", "10.0.0.0/8"));
  CHECK(control::ip_in_block("192.168.7.200", "192.168.7.128/25"));
  CHECK_FALSE(control::ip_in_block("192.168.7.127", "192.168.7.128/25"));
  CHECK(control::ip_in_block("203.0.113.9", "203.0.113.9"));
  CHECK(control::ip_in_block("203.0.113.9:51234", "203.0.113.0/24"));
  CHECK(control::ip_in_block("1.2.3.4", "0.0.0.0/0"));
  CHECK(control::ip_in_block("2001:db8:abcd::1", "2001:db8::/32"));
  CHECK(control::ip_in_block("[2001:db8::1]:443", "2001:db8::/32"));
  CHECK_FALSE(control::ip_in_block("2001:db9::1", "2001:db8::/32"));
  CHECK_FALSE(control::ip_in_block("10.0.0.1", "::/0"));  // families never mix
  CHECK_FALSE(control::ip_in_block("not-an-ip", "10.0.0.0/8"));
  CHECK(control::valid_block("fe80::/10"));
  CHECK_FALSE(control::valid_block("10.0.0.0/33"));
  CHECK_FALSE(control::valid_block("10.0.0/8"));
  CHECK_FALSE(control::valid_block("10.0.0.0/"));
}

TEST_CASE("a suppression hides a finding only when every value matches, until it expires", "[control][suppress]") {
  const catalog::Catalog c = test::builtin();
  const catalog::Detection* mass_vm = c.find("AZD-008");
  REQUIRE(mass_vm);
  const std::string path = write_temp("suppressions_test.json", R"({
    "azdetect_suppressions": 1,
    "suppressions": [
      {"rule": "AZD-00*", "caller": ["pipeline@contoso.com", "*@ops.contoso.com"], "caller_ip": ["10.0.0.0/8", "2001:db8::/32"],
       "resource_group": "rg-ci-*", "reason": "CI tears down its test environments nightly"},
      {"rule": "AZD-008", "caller": "old-tool@contoso.com", "reason": "retired tool", "expires": "2026-02-28"},
      {"rule": "AZD-008", "caller": "new-tool@contoso.com", "reason": "new tool", "expires": "2026-03-01"}
    ]})");
  control::Settings s;
  s.suppressions_path = path;
  control::Controls controls;
  std::vector<std::string> errors;
  REQUIRE(control::resolve(s, c, kNow, &controls, &errors));
  REQUIRE(controls.suppressions.size() == 3);

  const std::string ci_vm = "/subscriptions/s1/resourceGroups/RG-CI-42/providers/Microsoft.Compute/virtualMachines/vm1";
  const std::string prod_vm = "/subscriptions/s1/resourceGroups/rg-prod/providers/Microsoft.Compute/virtualMachines/vm2";
  std::vector<engine::Finding> f = {
      finding(mass_vm, {"pipeline@contoso.com", "bot@ops.contoso.com"}, {"10.2.3.4", "2001:db8::7"}, {ci_vm}),  // matched
      finding(mass_vm, {"pipeline@contoso.com", "mallory@contoso.com"}, {"10.2.3.4"}, {ci_vm}),  // one other caller
      finding(mass_vm, {"pipeline@contoso.com"}, {"10.2.3.4", "198.51.100.1"}, {ci_vm}),         // one outside IP
      finding(mass_vm, {"pipeline@contoso.com"}, {"10.2.3.4"}, {ci_vm, prod_vm}),                 // one other group
      finding(mass_vm, {"pipeline@contoso.com"}, {}, {ci_vm}),                                    // no IP at all
      finding(mass_vm, {"old-tool@contoso.com"}, {}, {prod_vm}),                                  // expired entry
      finding(mass_vm, {"new-tool@contoso.com"}, {}, {prod_vm}),                                  // expires today
  };
  std::vector<std::string> warnings;
  CHECK(control::apply_suppressions(&f, controls.suppressions, kNow, &warnings) == 2);
  CHECK(f[0].suppressed);
  CHECK(f[0].suppression_reason == "CI tears down its test environments nightly");
  CHECK_FALSE(f[1].suppressed);
  CHECK_FALSE(f[2].suppressed);
  CHECK_FALSE(f[3].suppressed);
  CHECK_FALSE(f[4].suppressed);
  CHECK_FALSE(f[5].suppressed);
  CHECK(f[6].suppressed);
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].find("suppressions[1]") != std::string::npos);
  CHECK(warnings[0].find("expired on 2026-02-28") != std::string::npos);
  std::remove(path.c_str());
}

TEST_CASE("a malformed suppressions file is rejected naming the file and the field", "[control][suppress]") {
  const catalog::Catalog c = test::builtin();
  auto problems = [&](std::string_view text) {
    control::Settings s;
    s.suppressions_path = write_temp("suppressions_bad.json", text);
    control::Controls out;
    std::vector<std::string> errors;
    CHECK_FALSE(control::resolve(s, c, kNow, &out, &errors));
    std::remove(s.suppressions_path.c_str());
    std::string all;
    for (const std::string& e : errors) all += e + "\n";
    CHECK(all.find("suppressions_bad.json") != std::string::npos);
    return all;
  };
  CHECK_THAT(problems("{"), Catch::Contains("not valid JSON"));
  CHECK_THAT(problems(R"({"suppressions": []})"), Catch::Contains("azdetect_suppressions"));
  CHECK_THAT(problems(R"({"azdetect_suppressions": 1, "suppressions": [{"rule": "AZD-002"}]})"),
             Catch::Contains("suppressions[0].reason: is required"));
  CHECK_THAT(problems(R"({"azdetect_suppressions": 1, "suppressions": [{"reason": "x"}]})"),
             Catch::Contains("suppressions[0].rule: is required"));
  CHECK_THAT(problems(R"({"azdetect_suppressions": 1, "suppressions": [{"rule": "*", "reason": "x", "callr": "a"}]})"),
             Catch::Contains("suppressions[0].callr: unknown member"));
  CHECK_THAT(problems(R"({"azdetect_suppressions": 1, "suppressions": [{"rule": "*", "reason": "x", "caller_ip": "10.0.0.0/40"}]})"),
             Catch::Contains("suppressions[0].caller_ip"));
  CHECK_THAT(problems(R"({"azdetect_suppressions": 1, "suppressions": [{"rule": "*", "reason": "x", "expires": "next week"}]})"),
             Catch::Contains("suppressions[0].expires"));
  CHECK_THAT(problems(R"({"azdetect_suppressions": 1, "suppressions": [{"rule": "*", "reason": "x", "caller": []}]})"),
             Catch::Contains("suppressions[0].caller"));
  control::Settings missing;
  missing.suppressions_path = "/nonexistent/suppressions.json";
  control::Controls out;
  std::vector<std::string> errors;
  CHECK_FALSE(control::resolve(missing, c, kNow, &out, &errors));
  REQUIRE(errors.size() == 1);
  CHECK_THAT(errors[0], Catch::Contains("cannot read"));
}
