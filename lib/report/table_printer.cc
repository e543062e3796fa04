// The table printer: what an analyst reads at a terminal. Findings are buffered so columns
// can be sized; every value from a log is escaped before it is printed.
#include <fmt/format.h>

#include <algorithm>

#include "base/text.h"
#include "report/layout.h"
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
    emit(out_, text);
    std::string err = notes();
    if (!options_.quiet) err += summary(s);
    if (!err.empty()) emit_err(err);
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

  // Problems with inputs are always shown (errors survive -q); unreadable inputs are reported
  // by the caller for every format, so they are not repeated here.
  std::string notes() const {
    std::string out;
    for (const InputReport& in : notes_) {
      if (!in.readable) continue;
      const std::string path = base::escape_for_terminal(in.path);
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
    return out;
  }

  static std::string counts(const std::vector<NameCount>& list) {
    std::string out;
    for (const NameCount& c : list) {
      out += fmt::format("{}{} ({})", out.empty() ? "" : ", ", base::escape_for_terminal(c.name), c.count);
    }
    return out;
  }

  static std::string summary(const Summary& s) {
    // The accounting identity, so a reader sees at once that nothing was lost.
    std::string out = fmt::format("{} file(s), {:.1f} MB, {} records = {} events + {} skipped + {} duplicates", s.files,
                                  static_cast<double>(s.bytes) / 1e6, s.records, s.events, s.skipped,
                                  s.duplicates_dropped);
    if (s.out_of_range > 0) out += fmt::format(" ({} events outside --since/--until)", s.out_of_range);
    out += fmt::format(", {} operations", s.operations);
    if (s.first_event != record::kNoTime) {
      out += fmt::format(", {} .. {}", record::format_time(s.first_event), record::format_time(s.last_event));
    }
    out += fmt::format("\n{} finding(s)", s.findings);
    bool first = true;
    for (int i = 4; i >= 0; --i) {
      if (!s.by_severity[i]) continue;
      out += fmt::format("{}{} {}", first ? ": " : ", ", s.by_severity[i],
                         catalog::severity_name(static_cast<catalog::Severity>(i)));
      first = false;
    }
    out += fmt::format("; {} suppressed, {} input(s) with errors\n", s.suppressed, s.inputs_with_errors);
    if (!s.top_rules.empty()) out += "top rules: " + counts(s.top_rules) + "\n";
    if (!s.top_callers.empty()) out += "top callers: " + counts(s.top_callers) + "\n";
    out += fmt::format("{:.2f}s, {:.1f} MB/s, {:.0f} events/s\n", s.elapsed_seconds, s.bytes_per_second() / 1e6,
                       s.events_per_second());
    return out;
  }

  // stderr is best effort: a closed stderr must not turn into an output error.
  void emit_err(const std::string& text) const {
    std::fwrite(text.data(), 1, text.size(), err_);
    std::fflush(err_);
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
