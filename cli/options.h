// cli options: the command line as parsed (CLI11 stays in options.cc), and the checks that
// turn it into a configuration the pipeline can run. Nothing here reads inputs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "input/input.h"
#include "control/control.h"
#include "report/report.h"

namespace azd::cli {

/// Documented exit codes (README, --help, docs/cli.md). When several apply the highest wins:
/// a usage error means nothing ran; an unreadable input means the findings may be incomplete,
/// so "1" or "0" would overstate what was checked.
enum ExitCode : int {
  kExitClean = 0,       ///< no findings at or above --fail-on
  kExitFindings = 1,    ///< at least one finding at or above --fail-on
  kExitError = 2,       ///< usage or configuration error (bad option, -o file exists, bad rule)
  kExitInputError = 3,  ///< some input could not be read; the result is incomplete
};

enum class Command { none, scan, search, summary, version, rules_list, rules_show, rules_lint };

struct Options {
  Command command = Command::none;
  std::vector<std::string> paths;       ///< scan: inputs; rules lint: rule files or directories
  std::vector<std::string> rule_paths;  ///< --rules: extra rule files or directories
  std::string rule_id;                  ///< rules show ID
  std::string format = "auto";     ///< auto: table on a terminal, json otherwise
  std::string color = "auto";
  std::string fail_on = "info";    ///< lowest severity that makes the exit code 1, or "none"
  std::string output;              ///< -o FILE ("" = standard output)
  bool force = false;              ///< overwrite an existing -o FILE
  bool quiet = false;
  bool verbose = false;
  /// --max-decompressed: gzip inputs that expand beyond this are refused (bomb guard).
  std::uint64_t max_decompressed = input::kDefaultMaxDecompressed;
  /// --threads: reading threads for scan (0 = one per core). The output never depends on it.
  unsigned threads = 0;
  control::Settings controls;      ///< --since/--until, rule selection, --suppressions
  bool show_suppressed = false;    ///< print suppressed findings too (marked)
  std::vector<std::string> where;  ///< search: FIELD=VALUE or FIELD~VALUE filters, all must hold
  std::string since, until;        ///< search: time range (inclusive), "" = open
  std::size_t limit = 20;          ///< summary: rows per table (0 = all)
  std::vector<std::string> arguments;  ///< argv without the program name, for the JSON report
};

/// Parses argv. Returns -1 to continue, or the exit code to stop with (help, version, usage
/// errors, which it has already printed).
int parse_options(int argc, char** argv, Options* out);

/// The version string, e.g. "0.1.0".
const char* version();

}  // namespace azd::cli
