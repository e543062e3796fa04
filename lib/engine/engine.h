// engine: evaluates a catalog over a stream of events. Owns matcher compilation, grouping of
// the records of one Azure operation, windowed and sequence rules, and the findings they
// produce. It does not read files (record/ does) or print anything (report/ does); findings
// own their strings so they outlive the input buffers.
#pragma once

#include <cstdint>
#include <functional>
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
      operation_id, event_id, app_id;
};

/// What a rule found: one operation, one burst of a windowed rule, or one sequence.
struct Finding {
  const catalog::Detection* rule = nullptr;
  Ticks first = record::kNoTime, last = record::kNoTime;
  /// Single-event rules: 1 (one operation). Windows: the distinct values (or operations) in
  /// the whole burst. Sequences: the operations chained (the number of steps).
  std::uint64_t count = 0;
  /// Windows: each group-by field and its value. Sequences: each `same` field and its value.
  std::vector<std::pair<std::string, std::string>> group;
  std::string subscription, resource_group, resource_id, resource_name, operation, status;
  std::vector<std::string> resources, callers, caller_ips, correlation_ids, app_ids;  ///< sorted, distinct
  /// Resources deleted as children of a resource-group delete this finding's operations
  /// belong to (same correlation id, authorization action resourceGroups/delete), sorted.
  std::vector<std::string> cascaded_resources;
  std::vector<Evidence> evidence;          ///< sorted by time, at most kMaxEvidence
  std::uint64_t evidence_total = 0;        ///< records that matched, evidence kept or not
  std::string fingerprint;                 ///< stable id: same finding, same id across runs
  bool suppressed = false;                 ///< matched a suppression entry (see control/)
  std::string suppression_reason;          ///< that entry's reason
};

/// Evidence records kept per finding; the count stays exact beyond it.
inline constexpr std::size_t kMaxEvidence = 50;

/// Totals over a run. Counts are final after finish().
struct EngineStats {
  std::uint64_t events = 0;       ///< events delivered to on_event(), duplicates included
  std::uint64_t duplicates = 0;   ///< events dropped as copies of another (same event id, else same text)
  std::uint64_t out_of_range = 0; ///< events outside --since/--until (or without a time when a range is set)
  std::uint64_t operations = 0;   ///< distinct operations among matched records
};

/// What became of one input's events. Final after finish(). Every event delivered is
/// exactly one of: kept, a duplicate, or out of range; so
/// events == kept + duplicates + out_of_range.
///
/// Of all copies of one event (same duplicate key), the copy first in (input index, byte
/// offset) order is kept and every other copy is a duplicate of the input it came from.
/// Out-of-range events are never compared, so they are never duplicates.
struct InputStats {
  std::uint64_t events = 0;       ///< delivered to on_event() while this input was current
  std::uint64_t duplicates = 0;   ///< copies of an event kept from an earlier input or offset
  std::uint64_t out_of_range = 0; ///< outside --since/--until (or without a time when a range is set)
};

/// What to run and on which events.
struct EngineOptions {
  /// Only events with since <= time <= until count; kNoTime leaves that side open.
  Ticks since = record::kNoTime, until = record::kNoTime;
  /// Rules to run (nullptr: every rule of the catalog).
  std::function<bool(const catalog::Detection&)> select;
};

/// Runs every rule of a catalog over events. Feed events with on_event() (any order, any
/// number of inputs), then call finish() once.
///
/// Threads: give each thread its own Engine (built from the same catalog and options), feed
/// each a disjoint part of the inputs, then merge() them all into one and finish() it. The
/// findings are byte-identical to those of one engine fed everything, in any order: nothing
/// is decided before finish(), and finish() sorts by content, never by arrival.
class Engine {
 public:
  explicit Engine(const catalog::Catalog& catalog, EngineOptions options = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  /// Names the input the following events come from (for evidence) and gives its index:
  /// its position among all the run's inputs (command-line order, directories expanded).
  /// Which copy of a duplicated event is kept depends on this index, never on arrival, so
  /// engines that are merged must be given the run-wide index.
  void begin_input(std::string_view name, std::size_t index);
  void on_event(const record::EventView& ev);
  /// Evaluates what needs all events (operation outcomes, windows, sequences) and returns
  /// the findings in a total order: severity (highest first), first time, rule id, fingerprint.
  /// With `threads` > 1 it may use a second thread (for the duplicate count); the results
  /// are the same.
  std::vector<Finding> finish(unsigned threads = 1);
  /// Optional, before merge(): does on the calling thread the part of finish() that each
  /// engine can do alone (sorting its duplicate keys), so the merged engine's finish() has
  /// less to do on one thread. Results are the same with or without it.
  void prepare_merge();
  /// Takes over everything `other` has seen (it must come from the same catalog and options;
  /// it is left empty). Call before finish().
  void merge(Engine&& other);
  EngineStats stats() const;
  /// The counts of the input begun with `index` (all zero for an index never begun).
  InputStats input_stats(std::size_t index) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Reads a normalised field of an event as text ("" when absent).
std::string_view field_value(const record::EventView& ev, catalog::Field f);

/// A condition compiled once (literals folded to lower case), to be evaluated on many
/// events: `azdetect search` runs its filter on every event of the inputs.
class EventFilter {
 public:
  explicit EventFilter(const catalog::Condition& c);
  ~EventFilter();
  EventFilter(EventFilter&&) noexcept;
  EventFilter& operator=(EventFilter&&) noexcept;
  /// Whether the event satisfies the condition (a lazily read event is completed first
  /// when the condition reads the caller or app id).
  bool matches(const record::EventView& ev) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Evaluates one condition on one event, compiling it each time (tests; use EventFilter
/// for many events).
bool matches(const catalog::Condition& c, const record::EventView& ev);

/// An owned copy of what an event's evidence record holds (used by `azdetect search`).
Evidence evidence_from(const record::EventView& ev, const std::string& input);

}  // namespace azd::engine
