#include "cli/explore_commands.h"

#include <fmt/format.h>

#include <cstdio>

#include "base/text.h"
#include "catalog/catalog.h"
#include "cli/inputs.h"
#include "cli/output.h"
#include "engine/engine.h"

namespace azd::cli {
namespace {

// One --where: FIELD=VALUE (equals) or FIELD~VALUE (contains), case-insensitive, on a
// normalised field of docs/detections.md. Evaluated by the engine's own matcher, so a
// pivot means exactly what the same condition means in a rule.
bool parse_where(const std::string& text, catalog::Condition* out, std::string* err) {
  const std::size_t at = text.find_first_of("=~");
  if (at == std::string::npos || at == 0) {
    *err = fmt::format("--where {}: expected FIELD=VALUE or FIELD~VALUE", text);
    return false;
  }
  const std::string field = text.substr(0, at);
  if (!catalog::parse_field(field, &out->field) || out->field == catalog::Field::raw) {
    *err = fmt::format("--where {}: unknown field '{}'; fields:", text, field);
    for (int f = 0; f < catalog::kFieldCount; ++f) {
      fmt::format_to(std::back_inserter(*err), " {}", catalog::field_name(static_cast<catalog::Field>(f)));
    }
    return false;
  }
  out->kind = catalog::Condition::Kind::leaf;
  out->op = text[at] == '=' ? catalog::Condition::Op::equals : catalog::Condition::Op::contains;
  out->values = {text.substr(at + 1)};
  return true;
}

// A --since/--until value. Events without a time are left out once a range is set.
bool parse_bound(const std::string& name, const std::string& text, record::Ticks* out, std::string* err) {
  if (text.empty()) return true;
  if (record::parse_time(text, out)) return true;
  *err = fmt::format("{} {}: expected an RFC 3339 time such as 2024-05-14T09:00:00Z", name, text);
  return false;
}

bool in_range(record::Ticks t, record::Ticks since, record::Ticks until) {
  if (since == record::kNoTime && until == record::kNoTime) return true;
  if (t == record::kNoTime) return false;
  return (since == record::kNoTime || t >= since) && (until == record::kNoTime || t <= until);
}

// Reads every input with `sink` (begin, on_event) on one thread, collecting the input reports.
// Returns kExitInputError when an input could not be read, else kExitClean.
int read_all(const Options& opt, EventSink sink, std::vector<report::InputReport>* inputs) {
  int code = kExitClean;
  auto on_input = [&](report::InputReport&& in) {
    report_unreadable(in);
    if (!in.readable) code = kExitInputError;
    inputs->push_back(std::move(in));
  };
  std::unique_ptr<report::Progress> progress = make_progress(opt.quiet);
  input::OpenOptions open_options;
  open_options.max_decompressed = opt.max_decompressed;
  // One thread: search prints events in input order as they are read.
  std::vector<EventSink> sinks{std::move(sink)};
  read_inputs(opt.paths, open_options, sinks, on_input, progress.get());
  return code;
}

report::PrinterOptions printer_options(const Options& opt, const Output& out) {
  report::PrinterOptions popt;
  popt.color = out.color(opt.color);
  popt.quiet = opt.quiet;
  popt.width = terminal_width();
  return popt;
}

}  // namespace

int run_search(const Options& opt) {
  const RunClock clock;
  catalog::Condition filter;
  filter.kind = catalog::Condition::Kind::all;
  record::Ticks since = record::kNoTime, until = record::kNoTime;
  std::string err;
  for (const std::string& w : opt.where) {
    catalog::Condition leaf;
    if (!parse_where(w, &leaf, &err)) break;
    filter.children.push_back(std::move(leaf));
  }
  if (err.empty() && parse_bound("--since", opt.since, &since, &err)) parse_bound("--until", opt.until, &until, &err);
  if (!err.empty()) {
    std::fprintf(stderr, "azdetect: %s\n", base::escape_for_terminal(err).c_str());
    return kExitError;
  }
  Output out;
  if (!out.open(opt.output, opt.force)) return kExitError;

  // Matching events are copied out (the views die with the callback) and printed sorted.
  std::vector<engine::Evidence> events;
  std::vector<report::InputReport> inputs;
  std::string current;
  EventSink callbacks;
  callbacks.begin = [&](const std::string& path, std::size_t) { current = path; };
  const engine::EventFilter compiled(filter);  // once, not per event
  // The filter and evidence_from() complete an event when they need its caller or app id.
  callbacks.lazy = true;
  callbacks.on_event = [&](const record::EventView& ev) {
    if (in_range(ev.time, since, until) && compiled.matches(ev)) {
      events.push_back(engine::evidence_from(ev, current));
    }
  };
  const int code = read_all(opt, callbacks, &inputs);
  const bool jsonl = out.format(opt.format) != report::Format::table;
  const int write_error = report::print_events(&events, jsonl, {version(), opt.arguments, clock.started()}, inputs,
                                               printer_options(opt, out), out.file());
  if (int c = out.finish(write_error); c >= 0) return c;
  if (!opt.quiet && !jsonl) std::fprintf(stderr, "%zu matching event(s)\n", events.size());
  return code;
}

int run_summary(const Options& opt) {
  const RunClock clock;
  Output out;
  if (!out.open(opt.output, opt.force)) return kExitError;
  report::ActivityTally tally;
  std::vector<report::InputReport> inputs;
  EventSink callbacks;
  callbacks.on_event = [&](const record::EventView& ev) { tally.add(ev); };
  const int code = read_all(opt, callbacks, &inputs);
  const bool json = out.format(opt.format) != report::Format::table;
  const int write_error =
      report::print_activity(tally, json, {version(), opt.arguments, clock.started()}, inputs, printer_options(opt, out),
                             opt.limit, clock.elapsed_seconds(), out.file());
  if (int c = out.finish(write_error); c >= 0) return c;
  return code;
}

}  // namespace azd::cli
