// Printer selection and the helpers every printer shares.
#include "report/report.h"

#include "report/printers.h"

namespace azd::report {

bool parse_format(std::string_view name, Format* out) {
  if (name == "table") *out = Format::table;
  else if (name == "json") *out = Format::json;
  else return false;
  return true;
}

std::unique_ptr<FindingSink> make_printer(Format format, const PrinterOptions& options, std::FILE* out,
                                          std::FILE* err) {
  switch (format) {
    case Format::table: return detail::make_table_printer(options, out, err);
    case Format::json: return detail::make_json_printer(options, out);
  }
  return nullptr;
}

std::string fill_placeholders(std::string_view text, const engine::Finding& f) {
  auto first = [](const std::vector<std::string>& v) { return v.empty() ? std::string() : v.front(); };
  const std::pair<std::string_view, std::string> values[] = {
      {"resource_group", f.resource_group},
      {"resource_name", f.resource_name},
      {"resource_id", f.resource_id},
      {"subscription", f.subscription},
      {"caller", first(f.callers)},
      {"caller_ip", first(f.caller_ips)},
      {"correlation_id", first(f.correlation_ids)},
      {"operation", f.operation},
      {"first_time", record::format_time(f.first)},
      {"last_time", record::format_time(f.last)},
  };
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t open = text.find('{', i);
    if (open == std::string_view::npos) break;
    const std::size_t close = text.find('}', open);
    if (close == std::string_view::npos) break;
    out.append(text.substr(i, open - i));
    const std::string_view name = text.substr(open + 1, close - open - 1);
    const std::string* replacement = nullptr;
    for (const auto& [key, value] : values) {
      if (key == name && !value.empty()) replacement = &value;
    }
    if (replacement) out += *replacement;
    else out.append(text.substr(open, close - open + 1));
    i = close + 1;
  }
  out.append(text.substr(i));
  return out;
}

}  // namespace azd::report
