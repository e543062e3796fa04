// Rule-file parsing and validation. Every problem is reported with the file and the JSON
// path of the member at fault, so `azdetect rules lint` can point at it.
#include <simdjson.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "catalog/catalog.h"

namespace azd::catalog {
namespace {

namespace dom = simdjson::dom;

struct FieldName {
  std::string_view name;
  Field field;
};
constexpr FieldName kFields[] = {
    {"operation", Field::operation},
    {"operation_display", Field::operation_display},
    {"status", Field::status},
    {"substatus", Field::substatus},
    {"status_message", Field::status_message},
    {"caller", Field::caller},
    {"caller_ip", Field::caller_ip},
    {"resource_id", Field::resource_id},
    {"subscription", Field::subscription},
    {"resource_group", Field::resource_group},
    {"provider", Field::provider},
    {"resource_type", Field::resource_type},
    {"resource_name", Field::resource_name},
    {"category", Field::category},
    {"level", Field::level},
    {"correlation_id", Field::correlation_id},
    {"operation_id", Field::operation_id},
    {"event_id", Field::event_id},
    {"event_name", Field::event_name},
    {"http_method", Field::http_method},
    {"tenant_id", Field::tenant_id},
    {"app_id", Field::app_id},
    {"authorization_action", Field::authorization_action},
    {"authorization_scope", Field::authorization_scope},
};

// Where a value sits in a rule file ("match.all[2].field"), for lint messages: a chain of
// segments that lives on the stack of the parse and is spelled out only when an error names
// it. Most rules have no error, and spelling every node's path as it was parsed was a third
// of compiling the catalog at every start (8.3 M instructions, docs/performance.md).
class Where {
 public:
  explicit Where(std::string_view root) : root_(root) {}
  Where(const Where& parent, std::string_view member) : parent_(&parent), root_(member) {}
  Where(const Where& parent, std::size_t index) : parent_(&parent), index_(index), is_index_(true) {}
  std::string str() const {
    if (parent_ == nullptr) return std::string(root_);
    std::string s = parent_->str();
    if (is_index_) {
      s += '[';
      s += std::to_string(index_);
      s += ']';
    } else {
      s += '.';
      s += root_;
    }
    return s;
  }

 private:
  const Where* parent_ = nullptr;
  std::string_view root_;  // the whole path at the root, else this member's name
  std::size_t index_ = 0;
  bool is_index_ = false;
};

// Collects errors for one file; `ok()` says whether any were added.
struct Linter {
  std::string_view file;
  std::vector<LintError>* errors;
  std::size_t start = errors->size();
  void error(std::string field, std::string message) {
    errors->push_back({std::string(file), std::move(field), std::move(message)});
  }
  void error(const Where& where, std::string message) { error(where.str(), std::move(message)); }
  bool ok() const { return errors->size() == start; }
};

bool get_string(dom::element e, std::string* out) {
  std::string_view s;
  if (e.get_string().get(s)) return false;
  out->assign(s);
  return true;
}

// A string, or an array of strings.
bool get_strings(dom::element e, std::vector<std::string>* out) {
  std::string_view s;
  if (!e.get_string().get(s)) {
    out->emplace_back(s);
    return true;
  }
  dom::array a;
  if (e.get_array().get(a)) return false;
  for (dom::element x : a) {
    if (x.get_string().get(s)) return false;
    out->emplace_back(s);
  }
  return true;
}

bool get_number(dom::element e, double* out) {
  if (!e.get_double().get(*out)) return true;
  std::int64_t i;
  if (!e.get_int64().get(i)) {
    *out = static_cast<double>(i);
    return true;
  }
  std::uint64_t u;
  if (!e.get_uint64().get(u)) {
    *out = static_cast<double>(u);
    return true;
  }
  return false;
}

void parse_condition(dom::element e, const Where& where, Linter* lint, Condition* out);

void parse_children(dom::element e, const Where& where, Linter* lint, Condition* out) {
  dom::array a;
  if (e.get_array().get(a) || a.size() == 0) {
    lint->error(where, "must be a non-empty array of conditions");
    return;
  }
  std::size_t i = 0;
  for (dom::element child : a) {
    out->children.emplace_back();
    parse_condition(child, Where(where, i++), lint, &out->children.back());
  }
}

void parse_condition(dom::element e, const Where& where, Linter* lint, Condition* out) {
  dom::object obj;
  if (e.get_object().get(obj)) {
    lint->error(where, "a condition must be an object");
    return;
  }
  dom::element v;
  if (!obj["all"].get(v)) {
    out->kind = Condition::Kind::all;
    parse_children(v, Where(where, "all"), lint, out);
    return;
  }
  if (!obj["any"].get(v)) {
    out->kind = Condition::Kind::any;
    parse_children(v, Where(where, "any"), lint, out);
    return;
  }
  if (!obj["not"].get(v)) {
    out->kind = Condition::Kind::negate;
    out->children.emplace_back();
    parse_condition(v, Where(where, "not"), lint, &out->children.back());
    return;
  }
  out->kind = Condition::Kind::leaf;
  std::string name;
  if (!obj["field"].get(v)) {
    if (!get_string(v, &name) || !parse_field(name, &out->field)) {
      lint->error(Where(where, "field"), "unknown field '" + name + "' (see docs/detections.md for the list)");
    }
  } else if (!obj["path"].get(v)) {
    out->field = Field::raw;
    if (!get_string(v, &out->path) || out->path.empty()) lint->error(Where(where, "path"), "must be a non-empty dotted path");
  } else {
    lint->error(where, "a condition needs all/any/not, or field/path with an operator");
    return;
  }
  if (!obj["case_sensitive"].get(v) && v.get_bool().get(out->case_sensitive)) {
    lint->error(Where(where, "case_sensitive"), "must be true or false");
  }
  struct OpName {
    std::string_view name;
    Condition::Op op;
  };
  static constexpr OpName kOps[] = {
      {"equals", Condition::Op::equals},   {"one_of", Condition::Op::equals},
      {"prefix", Condition::Op::prefix},   {"suffix", Condition::Op::suffix},
      {"contains", Condition::Op::contains}, {"wildcard", Condition::Op::wildcard},
      {"exists", Condition::Op::exists},   {"gt", Condition::Op::gt},
      {"gte", Condition::Op::gte},         {"lt", Condition::Op::lt},
      {"lte", Condition::Op::lte}};
  int found = 0;
  for (const OpName& op : kOps) {
    if (obj[op.name].get(v)) continue;
    ++found;
    out->op = op.op;
    const Where at(where, op.name);
    switch (op.op) {
      case Condition::Op::exists:
        if (v.get_bool().get(out->expect_exists)) lint->error(at, "must be true or false");
        break;
      case Condition::Op::gt:
      case Condition::Op::gte:
      case Condition::Op::lt:
      case Condition::Op::lte:
        if (!get_number(v, &out->number)) lint->error(at, "must be a number");
        break;
      default:
        if (!get_strings(v, &out->values) || out->values.empty()) {
          lint->error(at, "must be a string or a non-empty array of strings");
        }
    }
  }
  if (found != 1) lint->error(where, "a condition needs exactly one operator (equals, one_of, prefix, suffix, contains, wildcard, exists, gt, gte, lt, lte)");
}

bool parse_outcome(std::string_view s, Outcome* out) {
  if (s == "succeeded") *out = Outcome::succeeded;
  else if (s == "failed") *out = Outcome::failed;
  else if (s == "any") *out = Outcome::any;
  else return false;
  return true;
}

void parse_fields(dom::element e, const Where& where, Linter* lint, std::vector<Field>* out) {
  std::vector<std::string> names;
  if (!get_strings(e, &names)) {
    lint->error(where, "must be a field name or an array of field names");
    return;
  }
  for (const std::string& n : names) {
    Field f;
    if (!parse_field(n, &f)) lint->error(where, "unknown field '" + n + "'");
    else out->push_back(f);
  }
}

void parse_window(dom::object w, Linter* lint, WindowSpec* out) {
  out->present = true;
  dom::element v;
  if (!w["group_by"].get(v)) parse_fields(v, Where("window.group_by"), lint, &out->group_by);
  std::string count = "distinct";
  if (!w["count"].get(v) && !get_string(v, &count)) lint->error("window.count", "must be a string");
  if (count == "operations") {
    out->count_distinct = false;
  } else if (count == "distinct") {
    out->count_distinct = true;
    std::string name = "resource_id";
    if (!w["distinct"].get(v)) get_string(v, &name);
    if (!parse_field(name, &out->distinct)) lint->error("window.distinct", "unknown field '" + name + "'");
  } else {
    lint->error("window.count", "must be \"distinct\" or \"operations\"");
  }
  std::string span;
  if (w["timespan"].get(v) || !get_string(v, &span) || !parse_duration(span, &out->timespan_ticks) ||
      out->timespan_ticks <= 0) {
    lint->error("window.timespan", "must be a positive duration such as \"20m\"");
  }
  // A threshold beyond any count a scan could reach is a mistake, and converting a number
  // past 2^64 to an integer is undefined (fuzz_rules found "gte": 1e308).
  constexpr double kMaxThreshold = 1e9;
  double n = 0;
  if (!w["gt"].get(v) && get_number(v, &n) && n >= 0 && n < kMaxThreshold) {
    out->threshold = static_cast<std::uint64_t>(n) + 1;
  } else if (!w["gte"].get(v) && get_number(v, &n) && n >= 1 && n <= kMaxThreshold) {
    out->threshold = static_cast<std::uint64_t>(n);
  } else {
    lint->error("window", "needs a threshold: \"gt\": N (more than N) or \"gte\": N (at least N), "
                          "1 <= N+1 <= 1000000000 or 1 <= N <= 1000000000");
  }
}

void parse_sequence(dom::object s, Linter* lint, SequenceSpec* out) {
  out->present = true;
  dom::element v;
  dom::array steps;
  if (s["steps"].get(v) || v.get_array().get(steps) || steps.size() < 2) {
    lint->error("sequence.steps", "must be an array of at least two steps");
    return;
  }
  std::size_t i = 0;
  const Where steps_at("sequence.steps");
  for (dom::element st : steps) {
    const Where at(steps_at, i++);
    dom::object so;
    if (st.get_object().get(so)) {
      lint->error(at, "must be an object with name, match and outcome");
      continue;
    }
    SequenceStep step;
    if (!so["name"].get(v)) get_string(v, &step.name);
    if (so["match"].get(v)) lint->error(Where(at, "match"), "is required");
    else parse_condition(v, Where(at, "match"), lint, &step.match);
    std::string outcome = "succeeded";
    if (!so["outcome"].get(v)) get_string(v, &outcome);
    if (!parse_outcome(outcome, &step.outcome)) lint->error(Where(at, "outcome"), "must be succeeded, failed or any");
    out->steps.push_back(std::move(step));
  }
  if (!s["same"].get(v)) parse_fields(v, Where("sequence.same"), lint, &out->same);
  if (!s["scope_of_first"].get(v) && !get_string(v, &out->scope_of_first)) {
    lint->error("sequence.scope_of_first", "must be a string such as \"Microsoft.Authorization/locks\"");
  }
  if (out->same.empty() && out->scope_of_first.empty()) {
    lint->error("sequence", "needs \"same\" fields or \"scope_of_first\" to tie the steps together");
  }
  std::string within;
  if (s["within"].get(v) || !get_string(v, &within) || !parse_duration(within, &out->within_ticks) ||
      out->within_ticks <= 0) {
    lint->error("sequence.within", "must be a positive duration such as \"1h\"");
  }
}

// A misspelt placeholder ("{resourcegroup}") would be printed as written in every finding, so
// `{word}` must name one the report fills in. JMESPath braces in az --query ("{time:...}") hold
// a colon and are not words, so they pass.
void check_placeholders(std::string_view text, const Where& at, Linter* lint) {
  static constexpr std::string_view kKnown[] = {"resource_group", "resource_name", "resource_id", "subscription",
                                                "caller", "caller_ip", "correlation_id", "operation",
                                                "first_time", "last_time"};
  for (std::size_t open = text.find('{'); open != std::string_view::npos; open = text.find('{', open + 1)) {
    const std::size_t close = text.find('}', open);
    if (close == std::string_view::npos) return;
    const std::string_view word = text.substr(open + 1, close - open - 1);
    const bool is_word = !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    });
    if (is_word && std::find(std::begin(kKnown), std::end(kKnown), word) == std::end(kKnown)) {
      lint->error(at, "unknown placeholder {" + std::string(word) +
                          "} (known: resource_group, resource_name, resource_id, subscription, caller, caller_ip, "
                          "correlation_id, operation, first_time, last_time)");
    }
  }
}

void parse_steps(dom::object r, std::string_view key, Linter* lint, std::vector<Step>* out) {
  dom::element v;
  if (r[key].get(v)) return;
  dom::array a;
  const Where remediation("remediation");
  const Where at(remediation, key);
  if (v.get_array().get(a)) {
    lint->error(at, "must be an array of steps");
    return;
  }
  std::size_t i = 0;
  for (dom::element e : a) {
    Step step;
    dom::object o;
    const Where step_at(at, i);
    if (get_string(e, &step.text)) {
      // plain text step
    } else if (!e.get_object().get(o)) {
      dom::element x;
      if (o["text"].get(x) || !get_string(x, &step.text)) {
        lint->error(Where(step_at, "text"), "is required");
      }
      if (!o["command"].get(x) && !get_string(x, &step.command)) {
        lint->error(Where(step_at, "command"), "must be a string");
      }
    } else {
      lint->error(step_at, "must be a string or {text, command}");
    }
    check_placeholders(step.text, Where(step_at, "text"), lint);
    check_placeholders(step.command, Where(step_at, "command"), lint);
    ++i;
    out->push_back(std::move(step));
  }
}

bool valid_tactic(std::string_view t) {
  return t.size() == 6 && t.substr(0, 2) == "TA" &&
         std::all_of(t.begin() + 2, t.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool valid_technique(std::string_view t) {
  auto digits = [](std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (t.size() != 5 && t.size() != 9) return false;
  if (t[0] != 'T' || !digits(t.substr(1, 4))) return false;
  return t.size() == 5 || (t[5] == '.' && digits(t.substr(6)));
}

bool parse_rule(std::string_view origin, std::string_view json, Linter* lint, Detection* d) {
  dom::parser parser;
  dom::element root;
  simdjson::padded_string padded(json);
  if (auto e = parser.parse(padded).get(root)) {
    lint->error("", std::string("not valid JSON: ") + simdjson::error_message(e));
    return false;
  }
  dom::object r;
  if (root.get_object().get(r)) {
    lint->error("", "a rule file holds one JSON object");
    return false;
  }
  d->origin = std::string(origin);
  dom::element v;
  std::int64_t version = 0;
  if (r["azdetect_rule"].get(v) || v.get_int64().get(version) || version != kFormatVersion) {
    lint->error("azdetect_rule", "must be " + std::to_string(kFormatVersion) + " (the rule format version)");
  }
  auto required = [&](std::string_view key, std::string* out) {
    if (r[key].get(v) || !get_string(v, out) || out->empty()) {
      lint->error(std::string(key), "is required and must be a non-empty string");
    }
  };
  required("id", &d->id);
  required("title", &d->title);
  required("description", &d->description);
  required("status", &d->status);
  if (!d->status.empty() && d->status != "stable" && d->status != "test" && d->status != "experimental" &&
      d->status != "deprecated") {
    lint->error("status", "must be stable, test, experimental or deprecated");
  }
  std::string severity;
  required("severity", &severity);
  if (!severity.empty() && !parse_severity(severity, &d->severity)) {
    lint->error("severity", "must be info, low, medium, high or critical");
  }
  dom::object attack;
  if (r["attack"].get(v) || v.get_object().get(attack)) {
    lint->error("attack", "is required: {\"tactics\": [\"TA0040\"], \"techniques\": [\"T1485\"]}");
  } else {
    if (attack["tactics"].get(v) || !get_strings(v, &d->attack.tactics) || d->attack.tactics.empty()) {
      lint->error("attack.tactics", "needs at least one tactic id");
    }
    if (attack["techniques"].get(v) || !get_strings(v, &d->attack.techniques) || d->attack.techniques.empty()) {
      lint->error("attack.techniques", "needs at least one technique id");
    }
    for (const std::string& t : d->attack.tactics) {
      if (!valid_tactic(t)) lint->error("attack.tactics", "'" + t + "' is not a tactic id (TA0000)");
    }
    for (const std::string& t : d->attack.techniques) {
      if (!valid_technique(t)) lint->error("attack.techniques", "'" + t + "' is not a technique id (T0000 or T0000.000)");
    }
  }
  if (!r["tags"].get(v) && !get_strings(v, &d->tags)) lint->error("tags", "must be an array of strings");
  if (!r["falsepositives"].get(v) && !get_strings(v, &d->falsepositives)) lint->error("falsepositives", "must be an array of strings");
  if (!r["references"].get(v) && !get_strings(v, &d->references)) lint->error("references", "must be an array of strings");
  if (!r["notes"].get(v) && !get_string(v, &d->notes)) lint->error("notes", "must be a string");

  const bool has_sequence = !r["sequence"].get(v);
  if (has_sequence) {
    dom::object s;
    if (v.get_object().get(s)) lint->error("sequence", "must be an object");
    else parse_sequence(s, lint, &d->sequence);
  } else if (r["match"].get(v)) {
    lint->error("match", "is required (or a sequence)");
  } else {
    parse_condition(v, Where("match"), lint, &d->match);
  }
  std::string outcome = "succeeded";
  if (!r["outcome"].get(v) && !get_string(v, &outcome)) lint->error("outcome", "must be a string");
  if (!parse_outcome(outcome, &d->outcome)) lint->error("outcome", "must be succeeded, failed or any");
  if (!r["window"].get(v)) {
    dom::object w;
    if (v.get_object().get(w)) lint->error("window", "must be an object");
    else if (has_sequence) lint->error("window", "a rule has a window or a sequence, not both");
    else parse_window(w, lint, &d->window);
  }

  dom::object rem;
  if (r["remediation"].get(v) || v.get_object().get(rem)) {
    lint->error("remediation", "is required");
  } else {
    if (rem["summary"].get(v) || !get_string(v, &d->remediation.summary) || d->remediation.summary.empty()) {
      lint->error("remediation.summary", "is required");
    }
    check_placeholders(d->remediation.summary, Where("remediation.summary"), lint);
    if (rem["why"].get(v) || !get_string(v, &d->remediation.why) || d->remediation.why.empty()) {
      lint->error("remediation.why", "is required");
    }
    parse_steps(rem, "triage", lint, &d->remediation.triage);
    parse_steps(rem, "containment", lint, &d->remediation.containment);
    parse_steps(rem, "recovery", lint, &d->remediation.recovery);
    parse_steps(rem, "prevention", lint, &d->remediation.prevention);
    if (d->remediation.triage.empty()) lint->error("remediation.triage", "needs at least one step");
    if (d->remediation.containment.empty() && d->remediation.recovery.empty()) {
      lint->error("remediation", "needs containment or recovery steps");
    }
  }
  return lint->ok();
}

}  // namespace

std::string_view severity_name(Severity s) {
  switch (s) {
    case Severity::info: return "info";
    case Severity::low: return "low";
    case Severity::medium: return "medium";
    case Severity::high: return "high";
    case Severity::critical: return "critical";
  }
  return "info";
}

std::string_view op_name(Condition::Op op) {
  switch (op) {
    case Condition::Op::equals: return "equals";
    case Condition::Op::prefix: return "prefix";
    case Condition::Op::suffix: return "suffix";
    case Condition::Op::contains: return "contains";
    case Condition::Op::wildcard: return "wildcard";
    case Condition::Op::exists: return "exists";
    case Condition::Op::gt: return "gt";
    case Condition::Op::gte: return "gte";
    case Condition::Op::lt: return "lt";
    case Condition::Op::lte: return "lte";
  }
  return "equals";
}

std::string_view outcome_name(Outcome o) {
  switch (o) {
    case Outcome::succeeded: return "succeeded";
    case Outcome::failed: return "failed";
    case Outcome::any: return "any";
  }
  return "succeeded";
}

bool parse_severity(std::string_view text, Severity* out) {
  for (Severity s : {Severity::info, Severity::low, Severity::medium, Severity::high, Severity::critical}) {
    if (text == severity_name(s)) {
      *out = s;
      return true;
    }
  }
  return false;
}

bool parse_field(std::string_view name, Field* out) {
  for (const FieldName& f : kFields) {
    if (f.name == name) {
      *out = f.field;
      return true;
    }
  }
  return false;
}

std::string_view field_name(Field f) {
  for (const FieldName& n : kFields) {
    if (n.field == f) return n.name;
  }
  return "raw";
}

bool parse_duration(std::string_view text, std::int64_t* ticks) {
  if (text.size() < 2) return false;
  std::int64_t n = 0;
  std::size_t i = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    if (n > 1'000'000'000) return false;
    n = n * 10 + (text[i++] - '0');
  }
  if (i == 0 || i + 1 != text.size()) return false;
  std::int64_t seconds;
  switch (text[i]) {
    case 's': seconds = n; break;
    case 'm': seconds = n * 60; break;
    case 'h': seconds = n * 3600; break;
    case 'd': seconds = n * 86400; break;
    case 'w': seconds = n * 7 * 86400; break;
    default: return false;
  }
  // Durations beyond a century are no window anyone means, and larger ones would overflow
  // the 100 ns ticks (found by the rules fuzzer: "19999999983600s").
  if (seconds > 100LL * 366 * 86400) return false;
  *ticks = seconds * 10'000'000;
  return true;
}

const Detection* Catalog::find(std::string_view id) const {
  for (const Detection& d : rules_) {
    if (d.id == id) return &d;
  }
  return nullptr;
}

bool Catalog::add_from_text(std::string_view origin, std::string_view json, std::vector<LintError>* errors) {
  Linter lint{origin, errors};
  Detection d;
  if (!parse_rule(origin, json, &lint, &d)) return false;
  if (const Detection* other = find(d.id)) {
    lint.error("id", "'" + d.id + "' is already defined by " + other->origin);
    return false;
  }
  rules_.push_back(std::move(d));
  return true;
}

bool load_directory(Catalog* catalog, const std::string& dir, std::vector<LintError>* errors) {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  std::error_code ec;
  if (fs::is_regular_file(dir, ec)) {
    files.emplace_back(dir);
  } else if (fs::is_directory(dir, ec)) {
    for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      if (it->is_regular_file() && it->path().extension() == ".json") files.push_back(it->path());
    }
  }
  if (ec || files.empty()) {
    errors->push_back({dir, "", ec ? ec.message() : "no rule files (*.json) found"});
    return false;
  }
  std::sort(files.begin(), files.end());
  bool ok = true;
  for (const fs::path& p : files) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    if (!in) {
      errors->push_back({p.string(), "", "cannot read the file"});
      ok = false;
      continue;
    }
    ok = catalog->add_from_text(p.string(), ss.str(), errors) && ok;
  }
  return ok;
}

}  // namespace azd::catalog
