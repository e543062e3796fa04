// `azdetect search`: the events that match a pivot, as a table or as JSON Lines whose event
// objects have the same fields as a finding's evidence.
#include <algorithm>

#include "base/text.h"
#include "report/json_fields.h"
#include "report/layout.h"
#include "report/printers.h"

namespace azd::report {
namespace {

std::string events_jsonl(const std::vector<engine::Evidence>& events, const RunInfo& run,
                         const std::vector<InputReport>& inputs) {
  std::string text;
  auto line = [&](std::string_view type, const auto& members) { detail::append_jsonl_line(&text, type, members); };
  line("run", [&](detail::JsonWriter& w) { detail::write_run_members(w, run, nullptr); });
  for (const InputReport& in : inputs) {
    line("input", [&](detail::JsonWriter& w) { detail::write_input_members(w, in); });
  }
  for (const engine::Evidence& e : events) {
    line("event", [&](detail::JsonWriter& w) { detail::write_evidence_members(w, e); });
  }
  return text;
}

// Two lines per event: when, outcome, what and who on the first; the correlation id to pivot
// on next, where the record is, and the resource (long, so last) on the second.
std::string events_table(const std::vector<engine::Evidence>& events, const PrinterOptions& options) {
  if (events.empty()) return "No matching events.\n";
  using detail::fit;
  using detail::pad;
  auto cell = [](std::string_view s) { return s.empty() ? std::string("-") : base::escape_for_terminal(s); };
  const std::size_t width = static_cast<std::size_t>(std::max(options.width, 80));
  const std::size_t rest = width - 20 - 2 - 10 - 2 - 15 - 2 - 2;  // time, status, caller IP, gaps
  const std::size_t w_op = rest * 65 / 100, w_caller = rest - w_op;
  std::string text = pad("TIME (UTC)", 20) + "  " + pad("STATUS", 10) + "  " + pad("OPERATION", w_op) + "  " +
                     pad("CALLER", w_caller) + "  CALLER IP\n" + "    CORRELATION ID  FILE:LINE  RESOURCE\n";
  for (const engine::Evidence& e : events) {
    const std::string time = e.time == record::kNoTime ? "-" : record::format_time(e.time).substr(0, 19) + "Z";
    text += pad(time, 20) + "  " + pad(fit(cell(e.status), 10), 10) + "  " + pad(fit(cell(e.operation), w_op), w_op) +
            "  " + pad(fit(cell(e.caller), w_caller), w_caller) + "  " + fit(cell(e.caller_ip), 15) + "\n";
    text += "    " + fit(cell(e.correlation_id) + "  " + cell(e.input) + ":" + std::to_string(e.line) + "  " +
                           cell(e.resource_id), width - 4) + "\n";
  }
  return text;
}

}  // namespace

int print_events(std::vector<engine::Evidence>* events, bool jsonl, const RunInfo& run,
                 const std::vector<InputReport>& inputs, const PrinterOptions& options, std::FILE* out) {
  // By time, then where the record is, so the order does not depend on how inputs were named.
  std::sort(events->begin(), events->end(), [](const engine::Evidence& a, const engine::Evidence& b) {
    if (a.time != b.time) return a.time < b.time;
    if (a.input != b.input) return a.input < b.input;
    return a.offset < b.offset;
  });
  return detail::write_text(out, jsonl ? events_jsonl(*events, run, inputs) : events_table(*events, options));
}

}  // namespace azd::report
