// Printer selection and the helpers every printer shares.
#include "report/report.h"

#include <algorithm>
#include <cerrno>
#include <map>

#include "report/printers.h"

namespace azd::report {
namespace {

// The `n` largest counts, ties broken by name so the list is the same on every run.
std::vector<NameCount> top(const std::map<std::string, std::uint64_t>& counts, std::size_t n) {
  std::vector<NameCount> list;
  for (const auto& [name, count] : counts) list.push_back({name, count});
  std::stable_sort(list.begin(), list.end(), [](const NameCount& a, const NameCount& b) { return a.count > b.count; });
  if (list.size() > n) list.resize(n);
  return list;
}

}  // namespace

bool parse_format(std::string_view name, Format* out) {
  if (name == "table") *out = Format::table;
  else if (name == "json") *out = Format::json;
  else if (name == "jsonl") *out = Format::jsonl;
  else if (name == "csv") *out = Format::csv;
  else if (name == "sarif") *out = Format::sarif;
  else return false;
  return true;
}

bool FindingSink::emit(std::FILE* f, std::string_view s) {
  if (write_error_ != 0) return false;
  write_error_ = detail::write_text(f, s);
  return write_error_ == 0;
}

namespace detail {

int write_text(std::FILE* f, std::string_view s) {
  errno = 0;
  if (std::fwrite(s.data(), 1, s.size(), f) == s.size() && std::fflush(f) == 0) return 0;
  return errno != 0 ? errno : EIO;
}

}  // namespace detail

void Summary::add_input(const InputReport& in) {
  ++files;
  unreadable += in.readable ? 0 : 1;
  inputs_with_errors += in.error_count > 0 || !in.readable ? 1 : 0;
  bytes += in.bytes;
  records += in.records;
  events += in.events;
  skipped += in.skipped;
  duplicates_dropped += in.duplicates;
  out_of_range += in.out_of_range;
}

void Summary::add_findings(const std::vector<engine::Finding>& list) {
  std::map<std::string, std::uint64_t> rules, callers;
  for (const engine::Finding& f : list) {
    // Suppressed findings are the analyst's known noise: counted apart, never in the totals.
    if (f.suppressed) {
      ++suppressed;
      continue;
    }
    ++findings;
    ++by_severity[static_cast<int>(f.rule->severity)];
    ++rules[f.rule->id];
    for (const std::string& c : f.callers) ++callers[c];
  }
  top_rules = top(rules, kTopEntries);
  top_callers = top(callers, kTopEntries);
}

std::unique_ptr<FindingSink> make_printer(Format format, const PrinterOptions& options, std::FILE* out,
                                          std::FILE* err) {
  switch (format) {
    case Format::table: return detail::make_table_printer(options, out, err);
    case Format::json: return detail::make_json_printer(options, out);
    case Format::jsonl: return detail::make_jsonl_printer(options, out);
    case Format::csv: return detail::make_csv_printer(options, out);
    case Format::sarif: return detail::make_sarif_printer(options, out);
  }
  return nullptr;
}

namespace {

// The value of one placeholder, computed only when the text names it: remediation texts are
// filled for every finding, several times each, and most of their pieces name none or one.
bool placeholder_value(std::string_view name, const engine::Finding& f, std::string* out) {
  auto first = [](const std::vector<std::string>& v) { return v.empty() ? std::string() : v.front(); };
  if (name == "resource_group") *out = f.resource_group;
  else if (name == "resource_name") *out = f.resource_name;
  else if (name == "resource_id") *out = f.resource_id;
  else if (name == "subscription") *out = f.subscription;
  else if (name == "caller") *out = first(f.callers);
  else if (name == "caller_ip") *out = first(f.caller_ips);
  else if (name == "correlation_id") *out = first(f.correlation_ids);
  else if (name == "operation") *out = f.operation;
  else if (name == "first_time") *out = record::format_time(f.first);
  else if (name == "last_time") *out = record::format_time(f.last);
  else return false;
  return !out->empty();
}

}  // namespace

std::string fill_placeholders(std::string_view text, const engine::Finding& f) {
  std::string out;
  out.reserve(text.size());
  std::string value;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t open = text.find('{', i);
    if (open == std::string_view::npos) break;
    const std::size_t close = text.find('}', open);
    if (close == std::string_view::npos) break;
    out.append(text.substr(i, open - i));
    if (placeholder_value(text.substr(open + 1, close - open - 1), f, &value)) out += value;
    else out.append(text.substr(open, close - open + 1));
    i = close + 1;
  }
  out.append(text.substr(i));
  return out;
}

}  // namespace azd::report
