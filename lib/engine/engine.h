// engine: evaluates a catalog over a stream of events. Owns matcher compilation, grouping of
// the records of one Azure operation, windowed and sequence rules, and the findings they
// produce. It does not read files (record/ does) or print anything (report/ does); findings
// own their strings so they outlive the input buffers.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"
#include "record/record.h"

namespace azd::engine {

using record::Ticks;

/// One record that contributed to a finding.
struct Evidence {
  std::string input;          ///< file the record came from ("-" for stdin)
  std::uint64_t line = 0;     ///< 1-based line in the decoded text
  std::uint64_t offset = 0;   ///< byte offset in the decoded text
  Ticks time = record::kNoTime;
  std::string operation, status, substatus, resource_id, caller, caller_ip, correlation_id,
      operation_id, event_id;
};

/// What a rule found: one operation, one burst of a windowed rule, or one sequence.
struct Finding {
  const catalog::Detection* rule = nullptr;
  Ticks first = record::kNoTime, last = record::kNoTime;
  std::uint64_t count = 0;                 ///< operations (or distinct values, for windows)
  std::vector<std::pair<std::string, std::string>> group;  ///< group-by field and value
  std::string subscription, resource_group, resource_id, resource_name, operation, status;
  std::vector<std::string> resources, callers, caller_ips, correlation_ids;  ///< sorted, distinct
  std::vector<Evidence> evidence;          ///< sorted by time, at most kMaxEvidence
  std::uint64_t evidence_total = 0;        ///< records that matched, evidence kept or not
  std::string fingerprint;                 ///< stable id: same finding, same id across runs
};

/// Evidence records kept per finding; the count stays exact beyond it.
inline constexpr std::size_t kMaxEvidence = 50;

/// Totals over a run.
struct EngineStats {
  std::uint64_t events = 0;
  std::uint64_t operations = 0;   ///< distinct operations among matched records
};

/// Runs every rule of a catalog over events. Feed events with on_event() (any order, any
/// number of inputs), then call finish() once.
class Engine {
 public:
  explicit Engine(const catalog::Catalog& catalog);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  /// Names the input the following events come from (for evidence).
  void begin_input(std::string_view name);
  void on_event(const record::EventView& ev);
  /// Evaluates what needs all events (operation outcomes, windows, sequences) and returns
  /// the findings in a total order: severity (highest first), first time, rule id, fingerprint.
  std::vector<Finding> finish();
  EngineStats stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Reads a normalised field of an event as text ("" when absent).
std::string_view field_value(const record::EventView& ev, catalog::Field f);

/// Evaluates one condition on one event (used by tests and by `azdetect search`).
bool matches(const catalog::Condition& c, const record::EventView& ev);

}  // namespace azd::engine
