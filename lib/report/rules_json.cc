// Rules as JSON, for `azdetect rules list/show --format json`. The shape follows the rule file
// format (docs/detections.md) so a rule shown can be read next to its file; durations are
// printed as seconds because the parsed rule no longer holds the text it was written as.
#include "report/json_fields.h"
#include "report/json_writer.h"
#include "report/report.h"

namespace azd::report {
namespace {

using detail::JsonWriter;

constexpr std::int64_t kTicksPerSecond = 10'000'000;

void write_condition(JsonWriter& w, const catalog::Condition& c) {
  using Kind = catalog::Condition::Kind;
  w.begin_object();
  switch (c.kind) {
    case Kind::all:
    case Kind::any:
      w.key(c.kind == Kind::all ? "all" : "any");
      w.begin_array();
      for (const catalog::Condition& child : c.children) write_condition(w, child);
      w.end_array();
      break;
    case Kind::negate:
      w.key("not");
      if (c.children.empty()) w.null();
      else write_condition(w, c.children[0]);
      break;
    case Kind::leaf: {
      if (c.field == catalog::Field::raw) {
        w.key("path");
        w.value(c.path);
      } else {
        w.key("field");
        w.value(catalog::field_name(c.field));
      }
      w.key(catalog::op_name(c.op));
      using Op = catalog::Condition::Op;
      if (c.op == Op::exists) w.value(c.expect_exists);
      else if (c.op == Op::gt || c.op == Op::gte || c.op == Op::lt || c.op == Op::lte) w.value(c.number);
      else if (c.values.size() == 1) w.value(c.values[0]);
      else w.strings(c.values);
      if (c.case_sensitive) {
        w.key("case_sensitive");
        w.value(true);
      }
      break;
    }
  }
  w.end_object();
}

void write_fields(JsonWriter& w, const std::vector<catalog::Field>& fields) {
  w.begin_array();
  for (catalog::Field f : fields) w.value(catalog::field_name(f));
  w.end_array();
}

void write_remediation(JsonWriter& w, const catalog::Remediation& r) {
  w.key("remediation");
  w.begin_object();
  detail::write_remediation_members(w, r, nullptr);  // as written: no finding to fill from
  w.end_object();
}

// The members `rules list` and `rules show` share.
void write_header(JsonWriter& w, const catalog::Detection& d) {
  w.key("id");
  w.value(d.id);
  w.key("title");
  w.value(d.title);
  w.key("severity");
  w.value(catalog::severity_name(d.severity));
  w.key("status");
  w.value(d.status);
  w.key("kind");
  w.value(rule_kind(d));
  w.key("tactics");
  w.strings(d.attack.tactics);
  w.key("techniques");
  w.strings(d.attack.techniques);
  w.key("tags");
  w.strings(d.tags);
  w.key("origin");
  w.value(d.origin);
}

void write_rule_full(JsonWriter& w, const catalog::Detection& d) {
  w.begin_object();
  write_header(w, d);
  w.key("description");
  w.value(d.description);
  if (d.sequence.present) {
    w.key("sequence");
    w.begin_object();
    w.key("steps");
    w.begin_array();
    for (const catalog::SequenceStep& s : d.sequence.steps) {
      w.begin_object();
      w.key("name");
      w.value(s.name);
      w.key("match");
      write_condition(w, s.match);
      w.key("outcome");
      w.value(catalog::outcome_name(s.outcome));
      w.end_object();
    }
    w.end_array();
    w.key("same");
    write_fields(w, d.sequence.same);
    if (!d.sequence.scope_of_first.empty()) {
      w.key("scope_of_first");
      w.value(d.sequence.scope_of_first);
    }
    w.key("within_seconds");
    w.value(d.sequence.within_ticks / kTicksPerSecond);
    w.end_object();
  } else {
    w.key("match");
    write_condition(w, d.match);
    w.key("outcome");
    w.value(catalog::outcome_name(d.outcome));
  }
  if (d.window.present) {
    w.key("window");
    w.begin_object();
    w.key("group_by");
    write_fields(w, d.window.group_by);
    w.key("count");
    w.value(d.window.count_distinct ? "distinct" : "operations");
    if (d.window.count_distinct) {
      w.key("distinct");
      w.value(catalog::field_name(d.window.distinct));
    }
    w.key("timespan_seconds");
    w.value(d.window.timespan_ticks / kTicksPerSecond);
    w.key("gte");
    w.value(d.window.threshold);
    w.end_object();
  }
  w.key("falsepositives");
  w.strings(d.falsepositives);
  w.key("references");
  w.strings(d.references);
  w.key("notes");
  w.value(d.notes);
  write_remediation(w, d.remediation);
  w.end_object();
}

}  // namespace

std::string_view rule_kind(const catalog::Detection& rule) {
  if (rule.sequence.present) return "sequence";
  if (rule.window.present) return "window";
  return "single";
}

std::string rules_list_json(const std::vector<const catalog::Detection*>& rules) {
  std::string out;
  JsonWriter w(&out, 2);
  w.begin_array();
  for (const catalog::Detection* d : rules) {
    w.begin_object();
    write_header(w, *d);
    write_remediation(w, d->remediation);
    w.end_object();
  }
  w.end_array();
  out.push_back('\n');
  return out;
}

std::string rule_json(const catalog::Detection& rule) {
  std::string out;
  JsonWriter w(&out, 2);
  write_rule_full(w, rule);
  out.push_back('\n');
  return out;
}

}  // namespace azd::report
