// report: turning a run's results into output. Owns the printers (one per format, all behind
// the FindingSink interface), the JSON output schema, terminal escaping of log text, and
// filling remediation placeholders from a finding. It never reads inputs or evaluates rules.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
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
  std::uint64_t records = 0, events = 0, skipped = 0;
  std::uint64_t error_count = 0;
  std::vector<record::ReadIssue> errors;  ///< the first few, with locations
};

/// Facts about the run as a whole.
struct RunInfo {
  std::string tool_version;
  std::vector<std::string> arguments;
  std::string started;        ///< RFC 3339 UTC
};

struct Summary {
  std::uint64_t files = 0, unreadable = 0, bytes = 0, records = 0, events = 0, skipped = 0;
  std::uint64_t operations = 0;
  std::uint64_t findings = 0;
  std::uint64_t by_severity[5] = {};   ///< indexed by catalog::Severity
  std::uint64_t suppressed = 0, duplicates_dropped = 0;
  double elapsed_seconds = 0;
};

/// Receives a run's results in order: begin, inputs, findings, end.
class FindingSink {
 public:
  virtual ~FindingSink() = default;
  virtual void begin(const RunInfo&) {}
  virtual void input(const InputReport&) {}
  virtual void finding(const engine::Finding& f) = 0;
  virtual void end(const Summary&) {}
};

enum class Format { table, json };
bool parse_format(std::string_view name, Format* out);

struct PrinterOptions {
  bool color = false;          ///< ANSI colours (table only)
  bool quiet = false;          ///< table: no summary on stderr
  int width = 100;             ///< table: terminal width
};

/// Makes the printer for `format`, writing results to `out` and (table only) the summary to `err`.
std::unique_ptr<FindingSink> make_printer(Format format, const PrinterOptions& options,
                                          std::FILE* out, std::FILE* err);

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
