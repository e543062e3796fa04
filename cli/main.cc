// azdetect's entry point. main() reads as the pipeline: options -> catalog -> inputs ->
// records -> engine -> report -> exit code. Each phase lives in its own module under lib/.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <new>

#include "base/text.h"
#include "catalog/catalog.h"
#include "cli/options.h"
#include "cli/rules_command.h"
#include "control/control.h"
#include "engine/engine.h"
#include "input/input.h"
#include "record/record.h"
#include "report/report.h"

namespace azd::cli {
namespace {

record::Ticks now_ticks() {
  const auto now = std::chrono::system_clock::now();
  return std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count() / 100;
}

bool stdout_is_terminal() { return ::isatty(STDOUT_FILENO) == 1; }

int terminal_width() {
  if (const char* cols = std::getenv("COLUMNS")) {
    const int n = std::atoi(cols);
    if (n > 0) return n;
  }
  return 120;
}

// Reads one input through record/ into the engine and describes what it held.
report::InputReport scan_input(const std::string& path, const input::OpenOptions& open_options,
                               record::Reader& reader, engine::Engine& engine) {
  report::InputReport rep;
  rep.path = path;
  input::Buffer buffer;
  std::string err;
  if (!input::open_input(path, open_options, &buffer, &err)) {
    rep.readable = false;
    rep.error_count = 1;
    rep.errors.push_back({0, 0, err});
    return rep;
  }
  rep.encoding = std::string(input::encoding_name(buffer.encoding()));
  rep.gzip = buffer.gzip();
  rep.bytes = buffer.source_bytes();
  engine.begin_input(path);
  record::ReadResult result = reader.read(buffer.text(), [&](const record::EventView& ev) { engine.on_event(ev); });
  rep.shape = std::string(record::shape_name(result.shape));
  rep.detail = result.detail;
  rep.activity_log = result.activity_log;
  rep.readable = !result.fatal;
  rep.records = result.records;
  rep.events = result.events;
  rep.skipped = result.skipped;
  rep.error_count = result.issue_count;
  rep.errors = std::move(result.issues);
  if (!rep.activity_log && rep.detail.empty() && !rep.errors.empty()) rep.detail = rep.errors.front().reason;
  return rep;
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
    line += ", " + std::to_string(in.records) + " records: " + std::to_string(in.events) + " events, " +
            std::to_string(in.skipped) + " skipped";
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

int run_scan(const Options& opt) {
  const auto started = std::chrono::steady_clock::now();
  const record::Ticks now = now_ticks();

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

  // How results will be printed.
  report::Format format = report::Format::table;
  if (opt.format == "json" || (opt.format == "auto" && !stdout_is_terminal())) format = report::Format::json;
  report::PrinterOptions popt;
  popt.color = opt.color == "always" || (opt.color == "auto" && stdout_is_terminal() && !std::getenv("NO_COLOR"));
  popt.quiet = opt.quiet;
  popt.width = terminal_width();
  std::unique_ptr<report::FindingSink> printer = report::make_printer(format, popt, stdout, stderr);
  printer->begin({version(), opt.arguments, record::format_time(now)});

  // Which files to read: directories are walked, "-" is standard input.
  std::vector<input::PathError> path_errors;
  const std::vector<std::string> files = input::expand_paths(opt.paths, &path_errors);

  // Every input through one reader into one engine, in command-line order.
  report::Summary summary;
  record::Reader reader;
  engine::Engine engine(rules, controls.engine_options());
  auto account = [&](const report::InputReport& in) {
    ++summary.files;
    summary.unreadable += in.readable ? 0 : 1;
    summary.bytes += in.bytes;
    summary.records += in.records;
    summary.events += in.events;
    summary.skipped += in.skipped;
    if (opt.verbose) describe_input(in);
    printer->input(in);
  };
  for (const input::PathError& e : path_errors) {
    report::InputReport in;
    in.path = e.path;
    in.readable = false;
    in.error_count = 1;
    in.errors.push_back({0, 0, e.reason});
    account(in);
  }
  input::OpenOptions open_options;
  open_options.max_decompressed = opt.max_decompressed;
  for (const std::string& path : files) account(scan_input(path, open_options, reader, engine));

  // Rules that need every event (operation outcomes, windows, sequences) are settled now;
  // then the analyst's suppressions mark the findings they expect.
  std::vector<engine::Finding> findings = engine.finish();
  std::vector<std::string> warnings;
  const std::uint64_t suppressed = control::apply_suppressions(&findings, controls.suppressions, now, &warnings);
  for (const std::string& w : warnings) std::fprintf(stderr, "azdetect: warning: %s\n", w.c_str());
  for (const engine::Finding& f : findings) {
    if (!f.suppressed) ++summary.by_severity[static_cast<int>(f.rule->severity)];
    if (!f.suppressed || opt.show_suppressed) printer->finding(f);
  }
  summary.findings = findings.size() - suppressed;
  summary.suppressed = suppressed;
  summary.duplicates_dropped = engine.stats().duplicates;
  summary.operations = engine.stats().operations;
  summary.elapsed_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  printer->end(summary);

  if (summary.unreadable > 0) return kExitError;
  return summary.findings == 0 ? kExitClean : kExitFindings;
}

// `azdetect --version -v`: which simdjson code runs here (docs/performance.md). bench/run.sh
// reads the "on-demand kernel" line to pick the matching reference.
void print_build_details() {
  const record::SimdjsonInfo info = record::simdjson_info();
  std::printf("simdjson: %s\n", info.version.c_str());
  std::printf("simdjson stage-1 kernel: %s (chosen at run time for this CPU)\n", info.stage1.c_str());
  std::printf("simdjson on-demand kernel: %s (compiled in)\n", info.on_demand.c_str());
}

}  // namespace
}  // namespace azd::cli

int main(int argc, char** argv) {
  using namespace azd::cli;
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
