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

/// Documented exit codes (README, --help).
enum ExitCode : int {
  kExitClean = 0,      ///< no findings
  kExitFindings = 1,   ///< at least one finding
  kExitError = 2,      ///< usage, configuration or input error
};

enum class Command { none, scan, version, rules_list, rules_show, rules_lint };

struct Options {
  Command command = Command::none;
  std::vector<std::string> paths;       ///< scan: inputs; rules lint: rule files or directories
  std::vector<std::string> rule_paths;  ///< --rules: extra rule files or directories
  std::string rule_id;                  ///< rules show ID
  std::string format = "auto";     ///< auto: table on a terminal, json otherwise
  std::string color = "auto";
  bool quiet = false;
  bool verbose = false;
  /// --max-decompressed: gzip inputs that expand beyond this are refused (bomb guard).
  std::uint64_t max_decompressed = input::kDefaultMaxDecompressed;
  control::Settings controls;      ///< --since/--until, rule selection, --suppressions
  bool show_suppressed = false;    ///< print suppressed findings too (marked)
  std::vector<std::string> arguments;  ///< argv without the program name, for the JSON report
};

/// Parses argv. Returns -1 to continue, or the exit code to stop with (help, version, usage
/// errors, which it has already printed).
int parse_options(int argc, char** argv, Options* out);

/// The version string, e.g. "0.1.0".
const char* version();

}  // namespace azd::cli
