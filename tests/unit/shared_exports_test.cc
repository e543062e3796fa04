// Conformance over the real public exports in ../shared/data/activity-logs (SOURCES.md gives
// the expected counts). Tagged hidden ([.shared]) so it runs only as its own CTest, which is
// reported as skipped when the folder is not beside the checkout.
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <vector>

#include "catalog/catalog.h"
#include "engine/engine.h"
#include "input/input.h"
#include "record/record.h"

using namespace azd;

namespace {

struct Expected {
  const char* path;      // relative to the data folder
  record::Shape shape;
  std::uint64_t events;  // as stated in SOURCES.md
  std::uint64_t records;
  bool activity_log;
};

// 8 Activity Log files with 276 events, and 4 negative controls with none.
constexpr Expected kFiles[] = {
    {"sentinel-training-adele/azureActivity_adele.csv", record::Shape::la_csv, 23, 23, true},
    {"nsc-infra/activity_logs.json", record::Shape::json_array, 50, 50, true},
    {"se4453-ozgur492/activity_logs.json", record::Shape::json_array, 50, 50, true},
    {"se4453-defnetekyigit/activity_logs.json", record::Shape::json_array, 50, 50, true},
    {"se4453-melikeaytac/activity_logs.json", record::Shape::json_array, 50, 50, true},
    {"midterm-gurkandizoglu/activity_logs.json", record::Shape::json_array, 50, 50, true},
    {"wazuh-azure-wodle/log_analytics_events", record::Shape::la_tables, 2, 2, true},
    {"sumologic-eventhub/activity_log_fixtures.json", record::Shape::records_envelope, 1, 1, true},
    {"keyvault-pt1h-galawin59/PT1H.json", record::Shape::json_lines, 0, 4, false},
    {"nsg-flow-pt1h-devreops/PT1H.json", record::Shape::records_envelope, 0, 15, false},
    {"wazuh-azure-wodle/storage_events_json", record::Shape::records_envelope, 0, 2, false},
    {"wazuh-azure-wodle/graph_events", record::Shape::value_page, 0, 2, false},
};

}  // namespace

TEST_CASE("every shared real export reads with exactly the event count SOURCES.md states", "[.shared]") {
  const std::filesystem::path dir = std::filesystem::path(AZD_SOURCE_DIR) / ".." / "shared" / "data" / "activity-logs";
  if (!std::filesystem::is_directory(dir)) {
    std::printf("SKIPPED: %s is not present beside this checkout\n", dir.c_str());
    return;
  }
  catalog::Catalog rules;
  std::vector<catalog::LintError> rule_errors;
  REQUIRE(catalog::load_builtin(&rules, &rule_errors));
  record::Reader reader;
  std::uint64_t total = 0;
  // Every file also goes into one engine for the whole folder, to check the per-input
  // accounting across real exports: records == events + skipped + duplicates.
  engine::Engine all(rules);
  std::vector<record::ReadResult> results;
  for (const Expected& x : kFiles) {
    INFO(x.path);
    input::Buffer buf;
    std::string err;
    REQUIRE(input::open_input((dir / x.path).string(), input::OpenOptions{}, &buf, &err));
    engine::Engine engine(rules);
    engine.begin_input(x.path, 0);
    all.begin_input(x.path, results.size());
    const record::ReadResult r = reader.read(buf.text(), [&](const record::EventView& ev) {
      engine.on_event(ev);
      all.on_event(ev);
    });
    results.push_back(r);
    CHECK(r.shape == x.shape);
    CHECK(r.events == x.events);
    CHECK(r.records == x.records);
    CHECK(r.records == r.events + r.skipped);
    CHECK(r.activity_log == x.activity_log);
    CHECK_FALSE(r.detail.empty());
    if (!x.activity_log) {
      CHECK(r.detail.find("not an Activity Log") != std::string::npos);
      CHECK(engine.finish().empty());
    } else {
      CHECK(r.skipped == 0);
    }
    total += r.events;
  }
  CHECK(total == 276);
  // One export again as a last input (an analyst handed overlapping copies): every one of
  // its events is a duplicate of that input, none of the first copy's.
  const std::size_t again = results.size();
  {
    input::Buffer buf;
    std::string err;
    REQUIRE(input::open_input((dir / kFiles[1].path).string(), input::OpenOptions{}, &buf, &err));
    all.begin_input(kFiles[1].path, again);
    reader.read(buf.text(), [&](const record::EventView& ev) { all.on_event(ev); });
  }
  all.finish();
  CHECK(all.input_stats(again).events == kFiles[1].events);
  CHECK(all.input_stats(again).duplicates == kFiles[1].events);
  std::uint64_t duplicates = 0;
  for (std::size_t i = 0; i < results.size(); ++i) {
    INFO(kFiles[i].path);
    const engine::InputStats s = all.input_stats(i);
    CHECK(s.events == results[i].events);  // the engine saw every event the reader read
    CHECK(s.duplicates <= s.events);
    CHECK(results[i].records == (s.events - s.duplicates) + results[i].skipped + s.duplicates);
    duplicates += s.duplicates;
  }
  CHECK(duplicates == 0);  // the shared exports do not overlap one another
  CHECK(all.stats().duplicates == kFiles[1].events);
}
