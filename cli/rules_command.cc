// The rules commands. Built-in rule text is ours, but rules loaded with --rules (and every file
// `rules lint` reads) come from the user's disk and may hold anything, so all rule text and
// every lint message is escaped before it reaches the terminal.
#include "cli/rules_command.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "base/text.h"
#include "report/report.h"

namespace azd::cli {
namespace {

using base::escape_for_terminal;

void print_problem(std::FILE* to, const catalog::LintError& e) {
  if (e.field.empty()) {
    fmt::print(to, "{}: {}\n", escape_for_terminal(e.file), escape_for_terminal(e.message));
  } else {
    fmt::print(to, "{}: {}: {}\n", escape_for_terminal(e.file), escape_for_terminal(e.field),
               escape_for_terminal(e.message));
  }
}

// Columns available for the table: $COLUMNS, else the terminal's width, else no limit (a
// pipe or file gets whole lines).
std::size_t output_width() {
  if (const char* cols = std::getenv("COLUMNS")) {
    const long n = std::strtol(cols, nullptr, 10);
    if (n > 0) return static_cast<std::size_t>(n);
  }
  winsize ws{};
  if (::isatty(STDOUT_FILENO) == 1 && ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
    return ws.ws_col;
  }
  return std::string::npos;
}

// Code points in UTF-8 text (rule text is valid UTF-8: the catalog parser checks it).
std::size_t columns_of(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// Keeps at most `width` columns of `s`, ending in "…" when something was cut.
std::string clip(std::string_view s, std::size_t width) {
  if (columns_of(s) <= width) return std::string(s);
  std::string out;
  std::size_t cols = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80 && ++cols >= width) break;
    out.push_back(c);
  }
  return width == 0 ? std::string() : out + "…";
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (const std::string& s : items) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

std::vector<const catalog::Detection*> sorted_rules(const catalog::Catalog& c) {
  std::vector<const catalog::Detection*> rules;
  for (const catalog::Detection& d : c.rules()) rules.push_back(&d);
  std::sort(rules.begin(), rules.end(), [](const auto* a, const auto* b) { return a->id < b->id; });
  return rules;
}

int list_rules(const catalog::Catalog& c, bool json) {
  const std::vector<const catalog::Detection*> rules = sorted_rules(c);
  if (json) {
    fmt::print("{}", report::rules_list_json(rules));
    return kExitClean;
  }
  struct Row {
    std::string cells[7];
  };
  std::vector<Row> rows;
  rows.push_back({{"ID", "SEVERITY", "STATUS", "TACTICS", "TECHNIQUES", "TAGS", "TITLE"}});
  for (const catalog::Detection* d : rules) {
    rows.push_back({{escape_for_terminal(d->id), std::string(catalog::severity_name(d->severity)),
                     escape_for_terminal(d->status), escape_for_terminal(join(d->attack.tactics, ",")),
                     escape_for_terminal(join(d->attack.techniques, ",")), escape_for_terminal(join(d->tags, ",")),
                     escape_for_terminal(d->title)}});
  }
  // Every column but the title is as wide as its widest cell (tags capped); the title gets
  // what is left of the line, at least 30 columns.
  constexpr std::size_t kMaxTags = 22, kMinTitle = 30;
  std::size_t width[6] = {};
  for (Row& r : rows) {
    r.cells[5] = clip(r.cells[5], kMaxTags);
    for (std::size_t i = 0; i < 6; ++i) width[i] = std::max(width[i], columns_of(r.cells[i]));
  }
  std::size_t used = 0;
  for (std::size_t w : width) used += w + 2;
  const std::size_t total = output_width();
  const std::size_t title_width =
      total == std::string::npos ? std::string::npos : std::max(kMinTitle, total > used ? total - used : 0);
  for (const Row& r : rows) {
    std::string line;
    for (std::size_t i = 0; i < 6; ++i) {
      line += r.cells[i];
      line.append(width[i] + 2 - columns_of(r.cells[i]), ' ');
    }
    line += clip(r.cells[6], title_width);
    fmt::print("{}\n", line);
  }
  return kExitClean;
}

// Prints `text` wrapped at the output width (at most 100 columns), indented by `indent`;
// `prefix` ("1. ", "- ") starts the first line and later lines hang under the text after it.
void print_wrapped(std::string_view text, std::size_t indent, std::string_view prefix = {}) {
  const std::size_t total = std::min<std::size_t>(output_width(), 100);
  const std::size_t hang = indent + columns_of(prefix);
  const std::size_t width = total > hang + 20 ? total - hang : 20;
  std::string line;
  bool first = true;
  auto flush = [&] {
    fmt::print("{}{}{}\n", std::string(first ? indent : hang, ' '), first ? prefix : std::string_view(), line);
    line.clear();
    first = false;
  };
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(' ', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view word = text.substr(start, end - start);
    if (!line.empty() && columns_of(line) + 1 + columns_of(word) > width) flush();
    if (!line.empty()) line += ' ';
    line += word;
    start = end + 1;
  }
  if (!line.empty() || first) flush();
}

void print_condition(const catalog::Condition& c, std::size_t indent) {
  using Kind = catalog::Condition::Kind;
  const std::string pad(indent, ' ');
  switch (c.kind) {
    case Kind::all:
    case Kind::any:
      fmt::print("{}{} of:\n", pad, c.kind == Kind::all ? "all" : "any");
      for (const catalog::Condition& child : c.children) print_condition(child, indent + 2);
      return;
    case Kind::negate:
      fmt::print("{}not:\n", pad);
      for (const catalog::Condition& child : c.children) print_condition(child, indent + 2);
      return;
    case Kind::leaf:
      break;
  }
  using Op = catalog::Condition::Op;
  const std::string subject = c.field == catalog::Field::raw ? "path " + c.path : std::string(catalog::field_name(c.field));
  const char* how = c.case_sensitive ? " (case-sensitive)" : "";
  if (c.values.size() > 1) {
    // A list of operation names reads best one per line.
    fmt::print("{}{} {} one of{}:\n", pad, escape_for_terminal(subject), catalog::op_name(c.op), how);
    for (const std::string& v : c.values) fmt::print("{}  {}\n", pad, escape_for_terminal(v));
    return;
  }
  std::string operand;
  if (c.op == Op::exists) operand = c.expect_exists ? "true" : "false";
  else if (c.op == Op::gt || c.op == Op::gte || c.op == Op::lt || c.op == Op::lte) operand = fmt::format("{}", c.number);
  else if (!c.values.empty()) operand = c.values[0];
  fmt::print("{}{} {} {}{}\n", pad, escape_for_terminal(subject), catalog::op_name(c.op), escape_for_terminal(operand), how);
}

void print_fields(std::string_view label, const std::vector<catalog::Field>& fields) {
  std::string names;
  for (catalog::Field f : fields) names += (names.empty() ? "" : ", ") + std::string(catalog::field_name(f));
  fmt::print("  {}: {}\n", label, names.empty() ? "(everything together)" : names);
}

void print_list(std::string_view heading, const std::vector<std::string>& items) {
  if (items.empty()) return;
  fmt::print("\n{}\n", heading);
  for (const std::string& s : items) print_wrapped(escape_for_terminal(s), 2, "- ");
}

void print_steps(std::string_view heading, const std::vector<catalog::Step>& steps) {
  if (steps.empty()) return;
  fmt::print("\n  {}\n", heading);
  int n = 0;
  for (const catalog::Step& s : steps) {
    print_wrapped(escape_for_terminal(s.text), 4, fmt::format("{}. ", ++n));
    // Commands are printed whole on one line so they can be copied and run.
    if (!s.command.empty()) fmt::print("       $ {}\n", escape_for_terminal(s.command));
  }
}

std::string seconds_text(std::int64_t ticks) {
  const std::int64_t s = ticks / 10'000'000;
  if (s % 86400 == 0) return fmt::format("{}d", s / 86400);
  if (s % 3600 == 0) return fmt::format("{}h", s / 3600);
  if (s % 60 == 0) return fmt::format("{}m", s / 60);
  return fmt::format("{}s", s);
}

void show_rule_text(const catalog::Detection& d) {
  fmt::print("{}  {}\n", escape_for_terminal(d.id), escape_for_terminal(d.title));
  fmt::print("  severity: {}   status: {}   kind: {}\n", catalog::severity_name(d.severity),
             escape_for_terminal(d.status), report::rule_kind(d));
  fmt::print("  ATT&CK tactics: {}   techniques: {}\n", escape_for_terminal(join(d.attack.tactics, ", ")),
             escape_for_terminal(join(d.attack.techniques, ", ")));
  if (!d.tags.empty()) fmt::print("  tags: {}\n", escape_for_terminal(join(d.tags, ", ")));
  fmt::print("  source: {}\n", escape_for_terminal(d.origin));

  fmt::print("\nDescription\n");
  print_wrapped(escape_for_terminal(d.description), 2);

  fmt::print("\nWhat it matches\n");
  if (d.sequence.present) {
    int n = 0;
    for (const catalog::SequenceStep& s : d.sequence.steps) {
      fmt::print("  step {} ({}), outcome {}:\n", ++n, escape_for_terminal(s.name), catalog::outcome_name(s.outcome));
      print_condition(s.match, 4);
    }
    print_fields("same", d.sequence.same);
    if (!d.sequence.scope_of_first.empty()) {
      fmt::print("  later steps inside the scope protected by the first ({})\n",
                 escape_for_terminal(d.sequence.scope_of_first));
    }
    fmt::print("  within: {}\n", seconds_text(d.sequence.within_ticks));
  } else {
    print_condition(d.match, 2);
    fmt::print("  outcome: {}\n", catalog::outcome_name(d.outcome));
  }
  if (d.window.present) {
    fmt::print("  window: at least {} {} within {}\n", d.window.threshold,
               d.window.count_distinct ? "distinct " + std::string(catalog::field_name(d.window.distinct)) + " values"
                                       : std::string("operations"),
               seconds_text(d.window.timespan_ticks));
    print_fields("per", d.window.group_by);
  }

  print_list("False positives", d.falsepositives);
  if (!d.notes.empty()) {
    fmt::print("\nNotes\n");
    print_wrapped(escape_for_terminal(d.notes), 2);
  }
  print_list("References", d.references);

  const catalog::Remediation& r = d.remediation;
  fmt::print("\nRemediation\n");
  print_wrapped(escape_for_terminal(r.summary), 2, "First: ");
  print_wrapped(escape_for_terminal(r.why), 2, "Why: ");
  print_steps("Triage", r.triage);
  print_steps("Containment", r.containment);
  print_steps("Recovery", r.recovery);
  print_steps("Prevention", r.prevention);
}

int show_rule(const catalog::Catalog& c, const std::string& id, bool json) {
  const catalog::Detection* found = nullptr;
  for (const catalog::Detection& d : c.rules()) {
    if (base::iequals(d.id, id)) found = &d;
  }
  if (!found) {
    fmt::print(stderr, "azdetect: no rule with id '{}' (see azdetect rules list)\n", escape_for_terminal(id));
    return kExitError;
  }
  if (json) fmt::print("{}", report::rule_json(*found));
  else show_rule_text(*found);
  return kExitClean;
}

int lint_rules(const std::vector<std::string>& paths) {
  catalog::Catalog checked;
  std::vector<catalog::LintError> errors;
  for (const std::string& p : paths) catalog::load_directory(&checked, p, &errors);
  for (const catalog::LintError& e : errors) print_problem(stdout, e);
  if (!errors.empty()) {
    fmt::print(stderr, "azdetect: {} problem{} found\n", errors.size(), errors.size() == 1 ? "" : "s");
    return kExitError;
  }
  fmt::print("ok: {} rule{}\n", checked.rules().size(), checked.rules().size() == 1 ? "" : "s");
  return kExitClean;
}

}  // namespace

bool load_rules(const std::vector<std::string>& extra, catalog::Catalog* out) {
  std::vector<catalog::LintError> errors;
  bool ok = catalog::load_builtin(out, &errors);
  for (const std::string& p : extra) ok = catalog::load_directory(out, p, &errors) && ok;
  for (const catalog::LintError& e : errors) {
    std::fputs("azdetect: rule error: ", stderr);
    print_problem(stderr, e);
  }
  return ok && errors.empty();
}

int run_rules(const Options& opt) {
  if (opt.command == Command::rules_lint) return lint_rules(opt.paths);
  catalog::Catalog rules;
  if (!load_rules(opt.rule_paths, &rules)) return kExitError;
  const bool json = opt.format == "json";
  if (opt.command == Command::rules_show) return show_rule(rules, opt.rule_id, json);
  return list_rules(rules, json);
}

}  // namespace azd::cli
