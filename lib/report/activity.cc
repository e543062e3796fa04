// `azdetect summary`: per caller, caller IP, operation and resource group, how many events,
// how many failed, and when they were first and last seen: the first thing a responder asks.
#include <fmt/format.h>

#include <algorithm>

#include "base/text.h"
#include "report/json_fields.h"
#include "report/layout.h"
#include "report/printers.h"
#include "report/report.h"

namespace azd::report {
namespace {

std::string short_time(record::Ticks t) {
  return t == record::kNoTime ? "-" : record::format_time(t).substr(0, 19) + "Z";
}

std::string activity_json(const ActivityTally& tally, const RunInfo& run, const std::vector<InputReport>& inputs,
                          double elapsed) {
  std::string text;
  detail::JsonWriter w(&text, 2);
  w.begin_object();
  detail::write_run_members(w, run, &elapsed);
  w.key("inputs");
  w.begin_array();
  for (const InputReport& in : inputs) {
    w.begin_object();
    detail::write_input_members(w, in);
    w.end_object();
  }
  w.end_array();
  w.key("activity");
  w.begin_object();
  for (int d = 0; d < ActivityTally::kDimensions; ++d) {
    const auto dim = static_cast<ActivityTally::Dimension>(d);
    w.key(ActivityTally::dimension_name(dim));
    w.begin_array();
    for (const ActivityTally::Row& r : tally.rows(dim)) {
      w.begin_object();
      w.member("name", r.name);
      w.member("events", r.events);
      w.member("failures", r.failures);
      w.key("first_time");
      detail::write_time(w, r.first);
      w.key("last_time");
      detail::write_time(w, r.last);
      w.end_object();
    }
    w.end_array();
  }
  w.end_object();
  w.end_object();
  text.push_back('\n');
  return text;
}

std::string activity_table(const ActivityTally& tally, const PrinterOptions& options, std::size_t limit) {
  static constexpr std::string_view kTitles[] = {"CALLER", "CALLER IP", "OPERATION", "RESOURCE GROUP"};
  const std::size_t width = static_cast<std::size_t>(std::max(options.width, 80));
  // Name takes what the four fixed columns (events, failed, two times: 56 columns) leave.
  const std::size_t name_cap = width > 60 ? width - 60 : 20;
  std::string text;
  for (int d = 0; d < ActivityTally::kDimensions; ++d) {
    const auto dim = static_cast<ActivityTally::Dimension>(d);
    const std::vector<ActivityTally::Row> rows = tally.rows(dim);
    std::vector<std::vector<std::string>> cells;
    for (const ActivityTally::Row& r : rows) {
      if (limit && cells.size() == limit) break;
      cells.push_back({r.name.empty() ? "-" : base::escape_for_terminal(r.name), std::to_string(r.events),
                       std::to_string(r.failures), short_time(r.first), short_time(r.last)});
    }
    if (d) text += "\n";
    text += detail::render_columns({std::string(kTitles[d]), "EVENTS", "FAILED", "FIRST SEEN (UTC)", "LAST SEEN (UTC)"},
                                   cells, {name_cap, 0, 0, 0, 0});
    if (rows.size() > cells.size()) {
      text += fmt::format("... and {} more (--limit 0 shows all)\n", rows.size() - cells.size());
    }
  }
  return text;
}

}  // namespace

void ActivityTally::add(const record::EventView& ev) {
  const std::string_view values[kDimensions] = {ev.caller, ev.caller_ip, ev.operation, ev.resource_group};
  const bool failed = ev.status == record::Status::failed;
  for (int d = 0; d < kDimensions; ++d) {
    key_.assign(values[d]);
    for (char& c : key_) c = base::lower(c);
    Row& r = rows_[d][key_];
    if (r.events == 0 || values[d] < r.name) r.name.assign(values[d]);
    ++r.events;
    r.failures += failed ? 1 : 0;
    if (ev.time != record::kNoTime) {
      if (r.first == record::kNoTime || ev.time < r.first) r.first = ev.time;
      if (r.last == record::kNoTime || ev.time > r.last) r.last = ev.time;
    }
  }
}

std::vector<ActivityTally::Row> ActivityTally::rows(Dimension d) const {
  std::vector<Row> out;
  out.reserve(rows_[d].size());
  for (const auto& [key, row] : rows_[d]) out.push_back(row);
  std::sort(out.begin(), out.end(), [](const Row& a, const Row& b) {
    if (a.events != b.events) return a.events > b.events;
    return a.name < b.name;
  });
  return out;
}

std::string_view ActivityTally::dimension_name(Dimension d) {
  switch (d) {
    case callers: return "callers";
    case caller_ips: return "caller_ips";
    case operations: return "operations";
    case resource_groups: return "resource_groups";
  }
  return "";
}

int print_activity(const ActivityTally& tally, bool json, const RunInfo& run, const std::vector<InputReport>& inputs,
                   const PrinterOptions& options, std::size_t limit, double elapsed_seconds, std::FILE* out) {
  const std::string text = json ? activity_json(tally, run, inputs, elapsed_seconds) : activity_table(tally, options, limit);
  return detail::write_text(out, text);
}

}  // namespace azd::report
