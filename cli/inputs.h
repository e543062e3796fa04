// cli inputs: reading every input of a command (scan, search, summary) through input/ and
// record/, on one thread or several, with one report per input (in input order) and
// optional progress. What happens to the events is the caller's business.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "input/input.h"
#include "record/record.h"
#include "report/report.h"

namespace azd::cli {

/// What one reading thread does with the events it reads. Each thread has its own sink,
/// and a sink is only ever called from its thread.
struct EventSink {
  /// Events of `path` follow (may be empty). `index` is the input's position among the
  /// reports given to the InputReportCallback (unreadable paths included).
  std::function<void(const std::string& path, std::size_t index)> begin;
  record::EventCallback on_event;                      ///< each event
  std::function<void()> end;                           ///< this thread has read its last event
  /// The events may come with their token claims unmapped (record::Reader::set_lazy):
  /// set when on_event completes the views it needs whole, as the engine does.
  bool lazy = false;
};

// Takes an input's report, which is the callee's to keep (a folder has thousands).
using InputReportCallback = std::function<void(report::InputReport&&)>;

/// Expands `paths` (directories walked, "-" = standard input) and reads them with one
/// thread per sink. Whole files are shared out between the threads, and a JSON Lines input
/// is shared out block by block, so one large file keeps every thread busy too. Paths that
/// cannot be listed are reported first, as unreadable inputs; then `on_input` is called
/// once per input, in input order, as soon as that input and all before it are read (never
/// concurrently). `progress` (may be null) is told how far through the bytes the run is.
void read_inputs(const std::vector<std::string>& paths, const input::OpenOptions& open_options,
                 std::vector<EventSink>& sinks, const InputReportCallback& on_input, report::Progress* progress);

/// Prints one line per unreadable input on stderr (for every format, even with -q).
void report_unreadable(const report::InputReport& in);

/// Threads to use for `--threads 0` (the default): one per core the process may run on.
unsigned default_threads();

}  // namespace azd::cli
