// report: turning a run's results into output. Owns the printers (one per format, all behind
// the FindingSink interface), the JSON output schema, terminal escaping of log text, and
// filling remediation placeholders from a finding. It never reads inputs or evaluates rules.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "catalog/catalog.h"
#include "engine/engine.h"
#include "record/record.h"

namespace azd::report {

/// Version of the json/jsonl output schema; bumped on any incompatible change.
inline constexpr int kSchemaVersion = 1;

/// What one input produced, as printed in `inputs`.
struct InputReport {
  std::string path;
  std::string shape;          ///< record::shape_name(), or "" when the file could not be read
  std::string detail;
  std::string encoding;       ///< input::encoding_name()
  bool gzip = false;
  bool activity_log = true;
  bool readable = true;       ///< false: the file could not be opened or decoded
  std::uint64_t bytes = 0;
  /// records == events + skipped + duplicates. `events` are the distinct events analysed;
  /// `duplicates` are copies of an event kept from an earlier input (command-line order) or
  /// earlier in this one; `out_of_range` counts the events (part of `events`) outside
  /// --since/--until, which are never compared for duplicates.
  std::uint64_t records = 0, events = 0, skipped = 0, duplicates = 0, out_of_range = 0;
  std::uint64_t error_count = 0;
  std::vector<record::ReadIssue> errors;  ///< the first few, with locations
};

/// Facts about the run as a whole.
struct RunInfo {
  std::string tool_version;
  std::vector<std::string> arguments;
  std::string started;        ///< RFC 3339 UTC
};

/// A name with how often it occurred (top rules, top callers).
struct NameCount {
  std::string name;
  std::uint64_t count = 0;
};

/// How many entries the top-rules and top-callers lists keep.
inline constexpr std::size_t kTopEntries = 5;

struct Summary {
  std::uint64_t files = 0, unreadable = 0, inputs_with_errors = 0;
  std::uint64_t bytes = 0, records = 0, events = 0, skipped = 0;  ///< sums over the inputs
  std::uint64_t out_of_range = 0;      ///< sum over the inputs: events outside --since/--until
  std::uint64_t operations = 0;
  record::Ticks first_event = record::kNoTime, last_event = record::kNoTime;  ///< time span covered
  std::uint64_t findings = 0;
  std::uint64_t by_severity[5] = {};   ///< indexed by catalog::Severity
  std::uint64_t suppressed = 0;
  std::uint64_t duplicates_dropped = 0;  ///< sum of the inputs' duplicates: records == events + skipped + this
  std::vector<NameCount> top_rules, top_callers;  ///< most findings first, then by name
  double elapsed_seconds = 0;          ///< 0 when the run is reproducible (SOURCE_DATE_EPOCH)

  /// Widens the covered time span to include `t` (events without a time are ignored).
  void note_event_time(record::Ticks t) {
    if (t == record::kNoTime) return;
    if (first_event == record::kNoTime || t < first_event) first_event = t;
    if (last_event == record::kNoTime || t > last_event) last_event = t;
  }
  /// Adds one input's counts.
  void add_input(const InputReport& in);
  /// Counts findings per severity and fills the top lists. Call once, with every finding.
  void add_findings(const std::vector<engine::Finding>& findings);
  double bytes_per_second() const { return elapsed_seconds > 0 ? static_cast<double>(bytes) / elapsed_seconds : 0; }
  double events_per_second() const { return elapsed_seconds > 0 ? static_cast<double>(events) / elapsed_seconds : 0; }
};

/// Receives a run's results in order: begin, inputs, findings, end. An input passed to
/// input() and a finding passed to finding() stay valid until end() returns, so printers may
/// buffer pointers to sort or size instead of copies.
class FindingSink {
 public:
  virtual ~FindingSink() = default;
  virtual void begin(const RunInfo&) {}
  virtual void input(const InputReport&) {}
  virtual void finding(const engine::Finding& f) = 0;
  virtual void end(const Summary&) {}
  /// 0 when every write succeeded, else the errno of the first failed one (EPIPE: the reader
  /// went away, e.g. `| head`). Printers stop writing after a failure.
  int write_error() const { return write_error_; }

 protected:
  /// Writes all of `s` to `f` and flushes; records the first failure.
  bool emit(std::FILE* f, std::string_view s);

 private:
  int write_error_ = 0;
};

enum class Format { table, json, jsonl, csv, sarif };
/// "table", "json", "jsonl", "csv", "sarif".
bool parse_format(std::string_view name, Format* out);

struct PrinterOptions {
  bool color = false;          ///< ANSI colours (table only)
  bool quiet = false;          ///< table: no summary on stderr (errors are still printed)
  int width = 100;             ///< table: terminal width
};

/// Makes the printer for `format`, writing results to `out` and (table only) the summary to `err`.
std::unique_ptr<FindingSink> make_printer(Format format, const PrinterOptions& options,
                                          std::FILE* out, std::FILE* err);

/// Progress of a long scan on stderr: percentage of bytes, rate and ETA, and the current
/// file. Only for a terminal (the caller decides), redrawn at most 5 times a second, and not
/// at all for the first second, so short runs never flicker. (peers.md 3.9: byte-based ETA.)
class Progress {
 public:
  explicit Progress(std::FILE* err) : err_(err) {}
  void start(std::uint64_t total_bytes);
  /// `done_bytes` read so far, in `current` file. Cheap when nothing is redrawn.
  void update(std::uint64_t done_bytes, std::string_view current);
  /// Erases the line, if one is shown (before other messages, and at the end).
  void clear();
  void finish() { clear(); }

 private:
  std::FILE* err_;
  std::uint64_t total_ = 0;
  std::int64_t started_ns_ = 0, last_draw_ns_ = 0;
  bool shown_ = false;
};

/// `azdetect summary`: who did what. Counts events per caller, caller IP, operation and
/// resource group, with failures and first/last time. Names are compared case-insensitively
/// (exports mix `MICROSOFT.COMPUTE/...` and `Microsoft.Compute/...`); the spelling shown is
/// the smallest one seen, so the output does not depend on input order.
class ActivityTally {
 public:
  enum Dimension : int { callers, caller_ips, operations, resource_groups };
  static constexpr int kDimensions = 4;
  struct Row {
    std::string name;          ///< "" when the events had no value
    std::uint64_t events = 0, failures = 0;
    record::Ticks first = record::kNoTime, last = record::kNoTime;
  };

  void add(const record::EventView& ev);
  /// Rows of one dimension: most events first, then by name.
  std::vector<Row> rows(Dimension d) const;
  static std::string_view dimension_name(Dimension d);  ///< "callers", "caller_ips", ...

 private:
  std::unordered_map<std::string, Row> rows_[kDimensions];
  std::string key_;  // reused lower-case key
};

/// Prints a tally as tables (at most `limit` rows per dimension, 0 = all) or one json document.
/// Returns 0, or the errno of a failed write.
int print_activity(const ActivityTally& tally, bool json, const RunInfo& run, const std::vector<InputReport>& inputs,
                   const PrinterOptions& options, std::size_t limit, double elapsed_seconds, std::FILE* out);

/// `azdetect search`: prints matching events sorted by time (then file and offset), as a
/// table or as JSON Lines (a run line, one input line per input, one event line per event).
/// Returns 0, or the errno of a failed write.
int print_events(std::vector<engine::Evidence>* events, bool jsonl, const RunInfo& run,
                 const std::vector<InputReport>& inputs, const PrinterOptions& options, std::FILE* out);

/// Appends one RFC 4180 CSV cell to `out`, quoting when needed. Control characters become
/// visible escapes (base::escape_for_terminal), and a cell a spreadsheet would run as a formula
/// (starting with = + - @) is quoted and prefixed with an apostrophe.
void append_csv_cell(std::string* out, std::string_view cell);

/// Replaces {resource_group}, {resource_name}, {resource_id}, {subscription}, {caller},
/// {caller_ip}, {correlation_id}, {operation}, {first_time}, {last_time} with the finding's
/// values. A placeholder with no value is left as written, so the analyst sees what to fill in.
std::string fill_placeholders(std::string_view text, const engine::Finding& f);

/// `azdetect rules list --format json`: an array with one entry per rule, in the given order:
/// id, title, severity, status, kind, tactics, techniques, tags, origin and the remediation.
std::string rules_list_json(const std::vector<const catalog::Detection*>& rules);

/// `azdetect rules show ID --format json`: one rule in full, as parsed (conditions included).
std::string rule_json(const catalog::Detection& rule);

/// How a rule is evaluated: "single" (one finding per operation), "window" or "sequence".
std::string_view rule_kind(const catalog::Detection& rule);

}  // namespace azd::report
