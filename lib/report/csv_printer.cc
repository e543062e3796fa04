// --format csv: one row per finding, RFC 4180 (CRLF line ends, quoted when needed). Cells are
// attacker-controlled log text opened in spreadsheets, so a cell that a spreadsheet would
// read as a formula (= + - @, or a leading tab/CR that some strip first) gets a leading
// apostrophe: the OWASP "CSV injection" advice, and what Suzaku #146 asked for. Control
// characters become visible escapes (\x1b), as on the terminal, so `cat out.csv` is safe too.
#include "base/text.h"
#include "report/printers.h"

namespace azd::report::detail {
namespace {

constexpr std::string_view kColumns[] = {
    "id", "severity", "rule_id", "rule_title", "first_time", "last_time", "count", "operation",
    "status", "subscription", "resource_group", "resources", "callers", "caller_ips",
    "correlation_ids", "group", "attack_techniques", "remediation", "details_command"};

std::string join(const std::vector<std::string>& list) {
  std::string out;
  for (const std::string& s : list) {
    if (!out.empty()) out += ' ';
    out += s;
  }
  return out;
}

std::string time_or_empty(record::Ticks t) { return t == record::kNoTime ? "" : record::format_time(t); }

class CsvPrinter final : public FindingSink {
 public:
  explicit CsvPrinter(std::FILE* out) : out_(out) {}

  void begin(const RunInfo&) override {
    std::vector<std::string> header(std::begin(kColumns), std::end(kColumns));
    write_row(header);
  }

  void finding(const engine::Finding& f) override {
    std::string group;
    for (const auto& [field, value] : f.group) {
      if (!group.empty()) group += ' ';
      group += field + "=" + value;
    }
    const std::vector<std::string> row = {
        f.fingerprint,
        std::string(catalog::severity_name(f.rule->severity)),
        f.rule->id,
        f.rule->title,
        time_or_empty(f.first),
        time_or_empty(f.last),
        std::to_string(f.count),
        f.operation,
        f.status,
        f.subscription,
        f.resource_group,
        join(f.resources),
        join(f.callers),
        join(f.caller_ips),
        join(f.correlation_ids),
        group,
        join(f.rule->attack.techniques),
        fill_placeholders(f.rule->remediation.summary, f),
        "azdetect rules show " + f.rule->id,
    };
    write_row(row);
  }

 private:
  void write_row(const std::vector<std::string>& cells) {
    line_.clear();
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (i) line_ += ',';
      append_csv_cell(&line_, cells[i]);
    }
    line_ += "\r\n";
    emit(out_, line_);
  }

  std::FILE* out_;
  std::string line_;
};

}  // namespace

std::unique_ptr<FindingSink> make_csv_printer(const PrinterOptions&, std::FILE* out) {
  return std::make_unique<CsvPrinter>(out);
}

}  // namespace azd::report::detail

namespace azd::report {

void append_csv_cell(std::string* out, std::string_view raw) {
  const std::string escaped = base::escape_for_terminal(raw);
  const std::string_view cell = escaped;
  // Tab and CR arrive here as the visible "\t" / "\r", which no spreadsheet evaluates.
  const bool formula = !cell.empty() && (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@');
  const bool quote = formula || cell.find_first_of(",\"") != std::string_view::npos;
  if (quote) out->push_back('"');
  if (formula) out->push_back('\'');
  for (char c : cell) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  if (quote) out->push_back('"');
}

}  // namespace azd::report
