// The table printer: what an analyst reads at a terminal. Findings are buffered so columns
// can be sized; every value from a log is escaped before it is printed.
#include <fmt/format.h>

#include <algorithm>

#include "base/text.h"
#include "report/printers.h"

namespace azd::report::detail {
namespace {

const char* severity_color(catalog::Severity s) {
  switch (s) {
    case catalog::Severity::critical: return "\x1b[1;37;41m";
    case catalog::Severity::high: return "\x1b[1;31m";
    case catalog::Severity::medium: return "\x1b[33m";
    case catalog::Severity::low: return "\x1b[36m";
    case catalog::Severity::info: return "\x1b[2m";
  }
  return "";
}

// Width in terminal columns, counting each UTF-8 code point as one.
std::size_t display_width(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// Cuts to `width` columns, marking the cut with "…" and never splitting a code point.
std::string fit(std::string_view s, std::size_t width) {
  if (display_width(s) <= width) return std::string(s);
  if (width == 0) return "";
  std::string out;
  std::size_t cols = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool starts = (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
    if (starts && ++cols > width - 1) break;
    out.push_back(s[i]);
  }
  return out + "…";
}

std::string pad(std::string s, std::size_t width) {
  const std::size_t w = display_width(s);
  if (w < width) s.append(width - w, ' ');
  return s;
}

// Resource ids are long; the group and the name identify a resource at a glance.
std::string short_resource(const engine::Finding& f) {
  if (f.resource_id.empty()) return f.resource_group.empty() ? "-" : f.resource_group;
  record::ResourceParts parts = record::split_resource_id(f.resource_id);
  if (parts.resource_group.empty() || parts.name == parts.resource_group) return std::string(parts.name);
  return std::string(parts.resource_group) + "/" + std::string(parts.name);
}

class TablePrinter final : public FindingSink {
 public:
  TablePrinter(const PrinterOptions& options, std::FILE* out, std::FILE* err)
      : options_(options), out_(out), err_(err) {}

  void input(const InputReport& in) override {
    if (!in.readable || !in.activity_log || in.error_count > 0) notes_.push_back(in);
  }

  void finding(const engine::Finding& f) override { findings_.push_back(&f); }

  void end(const Summary& s) override {
    std::string text;
    if (findings_.empty()) {
      text += "No findings.\n";
    } else {
      render(&text);
    }
    write_all(out_, text);
    if (!options_.quiet) write_all(err_, summary(s));
  }

 private:
  void render(std::string* text) {
    struct Row {
      std::string severity, id, title, time, caller, resource, count;
      const engine::Finding* f;
    };
    std::vector<Row> rows;
    for (const engine::Finding* f : findings_) {
      Row r;
      r.f = f;
      r.severity = std::string(catalog::severity_name(f->rule->severity));
      r.id = f->rule->id;
      r.title = base::escape_for_terminal(f->rule->title);
      r.time = record::format_time(f->first).substr(0, 19) + "Z";
      r.caller = base::escape_for_terminal(f->callers.empty() ? "-" : f->callers.front());
      if (f->callers.size() > 1) r.caller += fmt::format(" +{}", f->callers.size() - 1);
      r.resource = base::escape_for_terminal(short_resource(*f));
      if (f->resources.size() > 1) r.resource += fmt::format(" +{}", f->resources.size() - 1);
      r.count = std::to_string(f->count);
      rows.push_back(std::move(r));
    }
    const std::size_t w_sev = 8, w_id = std::max<std::size_t>(7, [&] {
      std::size_t m = 0;
      for (const Row& r : rows) m = std::max(m, r.id.size());
      return m;
    }());
    const std::size_t w_time = 20, w_count = 5;
    const std::size_t fixed = w_sev + w_id + w_time + w_count + 5 * 2;
    const std::size_t width = static_cast<std::size_t>(std::max(options_.width, 80));
    const std::size_t flexible = width > fixed ? width - fixed : 40;
    const std::size_t w_title = flexible * 40 / 100, w_caller = flexible * 25 / 100;
    const std::size_t w_res = flexible - w_title - w_caller;

    *text += pad("SEVERITY", w_sev) + "  " + pad("RULE", w_id) + "  " + pad("TITLE", w_title) + "  " +
             pad("TIME (UTC)", w_time) + "  " + pad("CALLER", w_caller) + "  " + pad("RESOURCE", w_res) +
             "  COUNT\n";
    for (const Row& r : rows) {
      std::string sev = pad(r.severity, w_sev);
      if (options_.color) sev = severity_color(r.f->rule->severity) + sev + "\x1b[0m";
      *text += sev + "  " + pad(r.id, w_id) + "  " + pad(fit(r.title, w_title), w_title) + "  " +
               pad(r.time, w_time) + "  " + pad(fit(r.caller, w_caller), w_caller) + "  " +
               pad(fit(r.resource, w_res), w_res) + "  " + r.count + "\n";
      const std::string next = base::escape_for_terminal(fill_placeholders(r.f->rule->remediation.summary, *r.f));
      *text += "          -> " + fit(next, width > 14 ? width - 13 : 60) + "\n";
      *text += "             details: azdetect rules show " + r.id + "\n";
      if (r.f->suppressed) *text += "             suppressed: " + base::escape_for_terminal(r.f->suppression_reason) + "\n";
    }
  }

  std::string summary(const Summary& s) const {
    std::string out;
    for (const InputReport& in : notes_) {
      const std::string path = base::escape_for_terminal(in.path);
      if (!in.readable) {
        out += fmt::format("azdetect: {}: not read: {}\n", path,
                           in.errors.empty() ? "" : base::escape_for_terminal(in.errors.front().reason));
        continue;
      }
      if (!in.activity_log) {
        out += fmt::format("azdetect: {}: not an Activity Log ({}): {} records ignored\n", path,
                           base::escape_for_terminal(in.detail.empty() ? in.shape : in.detail), in.records);
      } else {
        out += fmt::format("azdetect: {}: {} record(s) skipped\n", path, in.skipped);
      }
      for (const record::ReadIssue& e : in.errors) {
        out += fmt::format("  {}:{}: {}\n", path, e.line, base::escape_for_terminal(e.reason));
      }
      if (in.error_count > in.errors.size()) {
        out += fmt::format("  ... and {} more\n", in.error_count - in.errors.size());
      }
    }
    out += fmt::format("{} file(s), {} events, {} skipped, {} finding(s)", s.files, s.events, s.skipped, s.findings);
    if (s.findings) {
      out += " (";
      bool first = true;
      for (int i = 4; i >= 0; --i) {
        if (!s.by_severity[i]) continue;
        out += fmt::format("{}{} {}", first ? "" : ", ", s.by_severity[i],
                           catalog::severity_name(static_cast<catalog::Severity>(i)));
        first = false;
      }
      out += ")";
    }
    out += fmt::format(" in {:.2f}s\n", s.elapsed_seconds);
    return out;
  }

  PrinterOptions options_;
  std::FILE* out_;
  std::FILE* err_;
  std::vector<const engine::Finding*> findings_;
  std::vector<InputReport> notes_;
};

}  // namespace

std::unique_ptr<FindingSink> make_table_printer(const PrinterOptions& options, std::FILE* out, std::FILE* err) {
  return std::make_unique<TablePrinter>(options, out, err);
}

}  // namespace azd::report::detail
