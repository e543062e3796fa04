// azdetect's entry point. main() reads as the pipeline: options -> catalog -> inputs ->
// records -> engine -> report -> exit code. Each phase lives in its own module under lib/.
#include <chrono>
#include <csignal>
#include <cstdio>
#include <memory>
#include <new>
#include <vector>

#include "base/pages.h"
#include "base/text.h"
#include "catalog/catalog.h"
#include "cli/explore_commands.h"
#include "cli/inputs.h"
#include "cli/options.h"
#include "cli/output.h"
#include "cli/rules_command.h"
#include "control/control.h"
#include "engine/engine.h"
#include "record/record.h"
#include "report/report.h"

namespace azd::cli {
namespace {

record::Ticks now_ticks() {
  const auto now = std::chrono::system_clock::now();
  return std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count() / 100;
}

// One line per input on stderr for -v: what the file was taken for, what was read, and why
// it gave nothing when it gave nothing. Everything from the file is escaped.
void describe_input(const report::InputReport& in) {
  std::string line = base::escape_for_terminal(in.path) + ": ";
  if (!in.readable && in.shape.empty()) {
    line += "unreadable";
  } else {
    line += in.shape;
    if (!in.detail.empty()) line += " [" + base::escape_for_terminal(in.detail) + "]";
    line += ", " + in.encoding + (in.gzip ? " (gzip)" : "");
    line += ", " + std::to_string(in.records) + " records = " + std::to_string(in.events) + " events + " +
            std::to_string(in.skipped) + " skipped + " + std::to_string(in.duplicates) + " duplicates";
    if (in.out_of_range > 0) line += " (" + std::to_string(in.out_of_range) + " events outside --since/--until)";
    if (!in.activity_log) line += "; not an Activity Log, no findings from it";
  }
  if (!in.errors.empty()) {
    const record::ReadIssue& e = in.errors.front();
    line += "; ";
    if (in.error_count > 1) line += std::to_string(in.error_count) + " issues, first: ";
    if (e.line > 0) line += "line " + std::to_string(e.line) + ": ";
    line += base::escape_for_terminal(e.reason);
  }
  std::fprintf(stderr, "azdetect: %s\n", line.c_str());
}

// Which events were copies is known only once every input is read: the engine moves each
// input's copies from `events` to `duplicates`, so records == events + skipped + duplicates.
void add_engine_counts(report::InputReport* in, const engine::InputStats& counts) {
  in->events -= counts.duplicates;
  in->duplicates = counts.duplicates;
  in->out_of_range = counts.out_of_range;
}

// The exit code of a scan: 3 when an input could not be read (the answer is incomplete,
// whatever was found), else 1 when a finding reaches --fail-on, else 0.
int exit_code(const report::Summary& s, const std::string& fail_on) {
  if (s.unreadable > 0) return kExitInputError;
  catalog::Severity threshold = catalog::Severity::info;
  if (!catalog::parse_severity(fail_on, &threshold)) return kExitClean;  // "none"
  for (int i = static_cast<int>(threshold); i < 5; ++i) {
    if (s.by_severity[i] > 0) return kExitFindings;
  }
  return kExitClean;
}

int run_scan(const Options& opt) {
  const RunClock clock;
  const record::Ticks now = now_ticks();  // relative --since/--until and suppression expiry

  // The detection catalog compiled into the binary, plus any --rules files.
  catalog::Catalog rules;
  if (!load_rules(opt.rule_paths, &rules)) return kExitError;

  // Run controls (time range, rule selection, suppressions), all checked before any input is read.
  control::Controls controls;
  std::vector<std::string> control_errors;
  if (!control::resolve(opt.controls, rules, now, &controls, &control_errors)) {
    for (const std::string& e : control_errors) std::fprintf(stderr, "azdetect: %s\n", e.c_str());
    return kExitError;
  }

  // Where and how results will be printed: tables for a person at a terminal, JSON otherwise.
  Output out;
  if (!out.open(opt.output, opt.force)) return kExitError;
  report::PrinterOptions popt;
  popt.color = out.color(opt.color);
  popt.quiet = opt.quiet;
  popt.width = terminal_width();
  std::unique_ptr<report::FindingSink> printer = report::make_printer(out.format(opt.format), popt, out.file(), stderr);
  printer->begin({version(), opt.arguments, clock.started()});

  // Every input (directories walked, "-" is standard input) through the readers into one
  // engine per reading thread; the engines are merged once everything is read. An input's
  // index for the engine is the position of its report in `inputs`.
  const unsigned threads = opt.threads > 0 ? opt.threads : default_threads();
  std::vector<std::unique_ptr<engine::Engine>> engines;
  std::vector<report::Summary> spans(threads);  // each thread's event time span
  std::vector<EventSink> sinks(threads);
  for (unsigned i = 0; i < threads; ++i) {
    engines.push_back(std::make_unique<engine::Engine>(rules, controls.engine_options()));
    engine::Engine& engine = *engines.back();
    report::Summary& span = spans[i];
    sinks[i].begin = [&engine](const std::string& path, std::size_t index) { engine.begin_input(path, index); };
    sinks[i].on_event = [&engine, &span](const record::EventView& ev) {
      engine.on_event(ev);
      span.note_event_time(ev.time);
    };
    sinks[i].lazy = true;  // the engine completes the events its rules match
    sinks[i].end = [&engine] { engine.prepare_merge(); };  // on the reading thread, in parallel
  }
  report::Summary summary;
  std::vector<report::InputReport> inputs;
  auto on_input = [&](report::InputReport&& in) {
    report_unreadable(in);
    inputs.push_back(std::move(in));
  };
  input::OpenOptions open_options;
  open_options.max_decompressed = opt.max_decompressed;
  std::unique_ptr<report::Progress> progress = make_progress(opt.quiet);
  read_inputs(opt.paths, open_options, sinks, on_input, progress.get());
  engine::Engine& engine = *engines.front();
  for (std::size_t i = 1; i < engines.size(); ++i) engine.merge(std::move(*engines[i]));
  for (const report::Summary& span : spans) {
    summary.note_event_time(span.first_event);
    summary.note_event_time(span.last_event);
  }

  // Rules that need every event (operation outcomes, windows, sequences) are settled now;
  // then the analyst's suppressions mark the findings they expect.
  std::vector<engine::Finding> findings = engine.finish(threads);
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    add_engine_counts(&inputs[i], engine.input_stats(i));
    summary.add_input(inputs[i]);
    if (opt.verbose) describe_input(inputs[i]);
    printer->input(inputs[i]);
  }
  std::vector<std::string> warnings;
  control::apply_suppressions(&findings, controls.suppressions, now, &warnings);
  for (const std::string& w : warnings) std::fprintf(stderr, "azdetect: warning: %s\n", w.c_str());
  for (const engine::Finding& f : findings) {
    if (!f.suppressed || opt.show_suppressed) printer->finding(f);
  }
  summary.add_findings(findings);
  summary.operations = engine.stats().operations;
  summary.elapsed_seconds = clock.elapsed_seconds();
  printer->end(summary);

  // A reader that went away (`| head`) is not an error; a full disk is.
  if (int code = out.finish(printer->write_error()); code >= 0) return code;
  return exit_code(summary, opt.fail_on);
}

// `azdetect --version -v`: which simdjson code runs here (docs/performance.md). bench/run.sh
// reads the "on-demand kernel" line to pick the matching reference.
void print_build_details() {
  const record::SimdjsonInfo info = record::simdjson_info();
  std::printf("simdjson: %s\n", info.version.c_str());
  std::printf("simdjson stage-1 kernel: %s (chosen at run time for this CPU)\n", info.stage1.c_str());
  std::printf("simdjson on-demand kernel: %s (compiled in)\n", info.on_demand.c_str());
  const std::string_view crc = input::gzip_check_kernel();
  std::printf("gzip CRC-32: %.*s (chosen at run time for this CPU)\n", static_cast<int>(crc.size()), crc.data());
}

}  // namespace
}  // namespace azd::cli

int main(int argc, char** argv) {
  using namespace azd::cli;
  // A closed pipe (`azdetect scan ... | head`) must end the run quietly: with SIGPIPE ignored
  // a write fails with EPIPE, which the printers treat as "stop".
  std::signal(SIGPIPE, SIG_IGN);
  // A scan allocates and frees in phases (reading, findings, report): memory freed by one is
  // kept for the next instead of being faulted in again a page at a time.
  azd::base::prepare_heap();
  try {
    Options opt;
    if (int code = parse_options(argc, argv, &opt); code >= 0) return code;
    switch (opt.command) {
      case Command::version:
        std::printf("azdetect %s\n", version());
        if (opt.verbose) print_build_details();
        return kExitClean;
      case Command::scan:
        return run_scan(opt);
      case Command::search:
        return run_search(opt);
      case Command::summary:
        return run_summary(opt);
      case Command::rules_list:
      case Command::rules_show:
      case Command::rules_lint:
        return run_rules(opt);
      case Command::none:
        break;
    }
    return kExitError;
  } catch (const std::bad_alloc&) {
    std::fputs("azdetect: out of memory\n", stderr);
    return kExitError;
  }
}
