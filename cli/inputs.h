// cli inputs: reading every input of a command (scan, search, summary) through input/ and
// record/, with one report per input and optional progress. What happens to the events is
// the caller's business.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "input/input.h"
#include "record/record.h"
#include "report/report.h"

namespace azd::cli {

struct InputCallbacks {
  std::function<void(const std::string& path)> begin;           ///< before a file's events (may be empty)
  record::EventCallback on_event;                                 ///< each event
  std::function<void(const report::InputReport&)> on_input;       ///< after each input, readable or not
};

/// Expands `paths` (directories walked, "-" = standard input) and reads each file in order.
/// Paths that cannot be listed are reported first, as unreadable inputs. `progress` (may be
/// null) is told how far through the bytes the run is.
void read_inputs(const std::vector<std::string>& paths, const input::OpenOptions& open_options, record::Reader& reader,
                 const InputCallbacks& callbacks, report::Progress* progress);

/// Prints one line per unreadable input on stderr (for every format, even with -q).
void report_unreadable(const report::InputReport& in);

}  // namespace azd::cli
