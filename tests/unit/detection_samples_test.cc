// The per-rule sample harness (docs/detections.md, "Samples"): every built-in rule must prove
// on its own sample files, scanned through the real input -> record -> engine path with the
// whole built-in catalog, that it fires where it should and stays quiet where it should.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "catalog/catalog.h"
#include "engine/engine.h"
#include "input/input.h"
#include "record/record.h"

using namespace azd;
namespace fs = std::filesystem;

namespace {

const fs::path kSamples = fs::path(AZD_SOURCE_DIR) / "tests" / "detections";

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// expect.json is a flat object of file name -> finding count. It is parsed here with a strict
// pattern rather than simdjson, which stays private to record/ and catalog/.
bool parse_expect(const std::string& text, std::map<std::string, std::uint64_t>* out, std::string* err) {
  static const std::regex kWhole(R"(^\s*\{\s*("[^"\\]+"\s*:\s*\d+\s*(,\s*"[^"\\]+"\s*:\s*\d+\s*)*)?\}\s*$)");
  static const std::regex kMember(R"re("([^"\\]+)"\s*:\s*(\d+))re");
  if (!std::regex_match(text, kWhole)) {
    *err = "expect.json must be a flat object of \"file\": count";
    return false;
  }
  for (std::sregex_iterator it(text.begin(), text.end(), kMember), end; it != end; ++it) {
    const std::string name = (*it)[1].str();
    if (out->count(name)) {
      *err = "expect.json names " + name + " twice";
      return false;
    }
    (*out)[name] = std::stoull((*it)[2].str());
  }
  return true;
}

struct SampleRun {
  bool readable = false;
  std::string error;
  record::ReadResult read;
  std::map<std::string, std::uint64_t> findings_by_rule;
};

// One sample file alone through the same pipeline as `azdetect scan FILE`.
SampleRun scan_sample(const catalog::Catalog& rules, const fs::path& file) {
  SampleRun run;
  input::Buffer buffer;
  if (!input::open_input(file.string(), input::OpenOptions{}, &buffer, &run.error)) return run;
  run.readable = true;
  engine::Engine engine(rules);
  record::Reader reader;
  engine.begin_input(file.string(), 0);
  run.read = reader.read(buffer.text(), [&](const record::EventView& ev) { engine.on_event(ev); });
  for (const engine::Finding& f : engine.finish()) ++run.findings_by_rule[f.rule->id];
  return run;
}

bool is_windowed(const catalog::Detection& d) { return d.window.present; }

}  // namespace

TEST_CASE("every built-in rule has samples that fire and stay quiet with the expected counts",
          "[detections][samples]") {
  catalog::Catalog rules;
  std::vector<catalog::LintError> errors;
  REQUIRE(catalog::load_builtin(&rules, &errors));
  REQUIRE_FALSE(rules.rules().empty());

  for (const catalog::Detection& rule : rules.rules()) {
    DYNAMIC_SECTION(rule.id) {
      const fs::path dir = kSamples / rule.id;
      INFO("rule " << rule.id << " (" << rule.origin << "), samples in " << dir.string());
      REQUIRE(fs::is_directory(dir));
      REQUIRE(fs::is_regular_file(dir / "expect.json"));

      std::map<std::string, std::uint64_t> expect;
      std::string err;
      if (!parse_expect(slurp(dir / "expect.json"), &expect, &err)) FAIL(err);

      // The minimum set of cases: a firing and a quiet sample, and for windowed rules the
      // threshold itself, one below it, and the threshold's events spread past the window.
      REQUIRE(expect.count("fires.json"));
      CHECK(expect["fires.json"] >= 1);
      REQUIRE(expect.count("quiet.json"));
      CHECK(expect["quiet.json"] == 0);
      if (is_windowed(rule)) {
        REQUIRE(expect.count("threshold.json"));
        CHECK(expect["threshold.json"] >= 1);
        REQUIRE(expect.count("below.json"));
        CHECK(expect["below.json"] == 0);
        REQUIRE(expect.count("spread.json"));
        CHECK(expect["spread.json"] == 0);
      }
      if (rule.sequence.present) {
        // The other identity / outside the window: at least one quiet case beyond quiet.json.
        CHECK(std::count_if(expect.begin(), expect.end(), [](const auto& kv) { return kv.second == 0; }) >= 2);
      }

      // Every file in the folder is a listed case, and every listed case exists.
      std::set<std::string> present;
      for (const fs::directory_entry& e : fs::directory_iterator(dir)) {
        if (e.path().filename() != "expect.json") present.insert(e.path().filename().string());
      }
      for (const std::string& name : present) {
        INFO("sample file not listed in expect.json: " << name);
        CHECK(expect.count(name) == 1);
      }

      for (const auto& [name, want] : expect) {
        INFO("sample " << name);
        REQUIRE(present.count(name) == 1);
        const SampleRun run = scan_sample(rules, dir / name);
        INFO(run.error);
        REQUIRE(run.readable);
        // A sample is realistic data: every record in it must be read as an Activity Log event.
        CHECK(run.read.activity_log);
        CHECK(run.read.events > 0);
        CHECK(run.read.skipped == 0);
        const auto got = run.findings_by_rule.find(rule.id);
        CHECK((got == run.findings_by_rule.end() ? 0 : got->second) == want);
      }
    }
  }
}

TEST_CASE("every sample folder belongs to a built-in rule", "[detections][samples]") {
  catalog::Catalog rules;
  std::vector<catalog::LintError> errors;
  REQUIRE(catalog::load_builtin(&rules, &errors));
  REQUIRE(fs::is_directory(kSamples));
  for (const fs::directory_entry& e : fs::directory_iterator(kSamples)) {
    INFO("stale sample folder " << e.path().string());
    CHECK(rules.find(e.path().filename().string()) != nullptr);
  }
}

TEST_CASE("expect.json is read strictly", "[detections][samples]") {
  std::map<std::string, std::uint64_t> m;
  std::string err;
  CHECK(parse_expect(R"({ "fires.json": 2, "quiet.json": 0 })", &m, &err));
  CHECK(m["fires.json"] == 2);
  CHECK(m["quiet.json"] == 0);
  m.clear();
  CHECK_FALSE(parse_expect(R"({ "fires.json": "2" })", &m, &err));
  CHECK_FALSE(parse_expect(R"({ "fires.json": 1, "fires.json": 1 })", &m, &err));
  CHECK_FALSE(parse_expect(R"([1])", &m, &err));
}
