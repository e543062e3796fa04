// cli output: where a command's results go and how they look there. -o FILE (never
// overwriting without --force), whether it is a terminal (table and colour), the run clock
// (fixed by SOURCE_DATE_EPOCH for reproducible output), progress, and what a failed write
// means for the exit code. Shared by scan, search and summary.
#pragma once

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "report/report.h"

namespace azd::cli {

/// The destination of results, opened by open().
class Output {
 public:
  Output() = default;
  ~Output();
  Output(const Output&) = delete;
  Output& operator=(const Output&) = delete;

  /// Standard output when `path` is empty, else creates `path` (refusing an existing file
  /// unless `force`). Prints the reason and returns false on failure.
  bool open(const std::string& path, bool force);
  std::FILE* file() const { return file_; }
  bool terminal() const { return terminal_; }
  /// Table on a terminal, json otherwise, unless `requested` names a format.
  report::Format format(const std::string& requested) const;
  /// Colour for --color auto|always|never: auto means a terminal and NO_COLOR unset or empty.
  bool color(const std::string& mode) const;
  /// Closes the file and maps `write_error` (from a printer) to an exit code: -1 when all is
  /// well or the reader went away (EPIPE: `| head` ends the run quietly), else kExitError
  /// after printing why.
  int finish(int write_error);

 private:
  std::FILE* file_ = stdout;
  std::string path_;
  bool terminal_ = false;
};

/// The run's clock: start time (RFC 3339) and elapsed seconds, both fixed when
/// SOURCE_DATE_EPOCH is set (start = that time, elapsed = 0) so output is byte-identical.
class RunClock {
 public:
  RunClock();
  const std::string& started() const { return started_; }
  double elapsed_seconds() const;

 private:
  std::chrono::steady_clock::time_point start_;
  std::string started_;
  bool fixed_ = false;
};

/// Terminal width from COLUMNS (120 when unset).
int terminal_width();

/// A progress line, only when stderr is a terminal and not -q; null otherwise.
std::unique_ptr<report::Progress> make_progress(bool quiet);

}  // namespace azd::cli
