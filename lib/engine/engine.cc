// Rule evaluation. Conditions are compiled once into matchers with pre-folded literals, and
// rules anchored on operation names are indexed by the folded name, so an event costs one
// lookup plus the rules that can actually match it.
#include "engine/engine.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>
#include <unordered_map>

#include "base/text.h"

namespace azd::engine {
namespace {

using catalog::Condition;
using catalog::Detection;
using catalog::Field;
using catalog::Outcome;
using record::EventView;
using record::Status;

// A condition with its literals folded to lower case (unless case-sensitive).
struct Matcher {
  Condition::Kind kind = Condition::Kind::leaf;
  std::vector<Matcher> children;
  Field field = Field::operation;
  std::string path;
  Condition::Op op = Condition::Op::equals;
  std::vector<std::string> values;
  double number = 0;
  bool expect_exists = true;
  bool case_sensitive = false;
};

Matcher compile(const Condition& c) {
  Matcher m;
  m.kind = c.kind;
  for (const Condition& child : c.children) m.children.push_back(compile(child));
  m.field = c.field;
  m.path = c.path;
  m.op = c.op;
  m.number = c.number;
  m.expect_exists = c.expect_exists;
  m.case_sensitive = c.case_sensitive;
  for (const std::string& v : c.values) m.values.push_back(c.case_sensitive ? v : base::to_lower(v));
  return m;
}

bool leaf_matches(const Matcher& m, std::string_view value, bool present) {
  using Op = Condition::Op;
  if (m.op == Op::exists) return present == m.expect_exists;
  if (!present) return false;
  if (m.op == Op::gt || m.op == Op::gte || m.op == Op::lt || m.op == Op::lte) {
    double x = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), x);
    if (ec != std::errc() || ptr != value.data() + value.size()) return false;
    switch (m.op) {
      case Op::gt: return x > m.number;
      case Op::gte: return x >= m.number;
      case Op::lt: return x < m.number;
      default: return x <= m.number;
    }
  }
  for (const std::string& lit : m.values) {
    bool hit = false;
    switch (m.op) {
      case Op::equals:
        hit = m.case_sensitive ? value == lit : base::iequals(value, lit);
        break;
      case Op::prefix:
        hit = m.case_sensitive ? value.substr(0, lit.size()) == lit : base::istarts_with(value, lit);
        break;
      case Op::suffix:
        hit = m.case_sensitive ? (value.size() >= lit.size() && value.substr(value.size() - lit.size()) == lit)
                               : base::iends_with(value, lit);
        break;
      case Op::contains:
        hit = m.case_sensitive ? value.find(lit) != std::string_view::npos : base::icontains(value, lit);
        break;
      case Op::wildcard:
        hit = base::glob_match(lit, value, !m.case_sensitive);
        break;
      default: break;
    }
    if (hit) return true;
  }
  return false;
}

bool eval(const Matcher& m, const EventView& ev) {
  switch (m.kind) {
    case Condition::Kind::all:
      for (const Matcher& c : m.children) {
        if (!eval(c, ev)) return false;
      }
      return true;
    case Condition::Kind::any:
      for (const Matcher& c : m.children) {
        if (eval(c, ev)) return true;
      }
      return false;
    case Condition::Kind::negate:
      return !eval(m.children[0], ev);
    case Condition::Kind::leaf:
      break;
  }
  if (m.field == Field::raw) {
    std::string value;
    const bool present = ev.source && ev.source->raw_field(m.path, &value);
    return leaf_matches(m, value, present);
  }
  std::string_view value = field_value(ev, m.field);
  return leaf_matches(m, value, !value.empty());
}

// The operation names a condition requires, when it requires one: an equals on `operation`
// at the top or inside a top-level `all`. Such rules are only tried on those operations.
bool operation_anchor(const Condition& c, std::vector<std::string>* names) {
  if (c.kind == Condition::Kind::leaf && c.field == Field::operation && c.op == Condition::Op::equals) {
    for (const std::string& v : c.values) names->push_back(base::to_lower(v));
    return true;
  }
  if (c.kind == Condition::Kind::all) {
    for (const Condition& child : c.children) {
      if (operation_anchor(child, names)) return true;
    }
  }
  return false;
}

// Records of one Azure operation share an operation id; storage exports have none, so
// correlation id + resource + operation stands in for it.
std::string operation_key(const EventView& ev) {
  if (!ev.operation_id.empty()) return "op:" + base::to_lower(ev.operation_id);
  std::string key = "corr:";
  key += base::to_lower(ev.correlation_id);
  key += '|';
  key += base::to_lower(ev.resource_id);
  key += '|';
  key += base::to_lower(ev.operation);
  return key;
}

Evidence make_evidence(const EventView& ev, const std::string& input) {
  Evidence e;
  e.input = input;
  e.offset = ev.offset;
  e.line = ev.source ? ev.source->line_of(ev.offset) : 0;
  e.time = ev.time;
  e.operation = ev.operation;
  e.status = ev.status == Status::other ? std::string(ev.status_text) : std::string(record::status_name(ev.status));
  e.substatus = ev.substatus;
  e.resource_id = ev.resource_id;
  e.caller = ev.caller;
  e.caller_ip = ev.caller_ip;
  e.correlation_id = ev.correlation_id;
  e.operation_id = ev.operation_id;
  e.event_id = ev.event_id;
  return e;
}

// The records of one operation seen so far, for one rule.
struct OperationState {
  std::vector<Evidence> records;
  bool failed = false, succeeded = false, canceled = false;
  std::string subscription, resource_group, resource_name;
};

bool evidence_before(const Evidence& a, const Evidence& b) {
  if (a.time != b.time) return a.time < b.time;
  if (a.input != b.input) return a.input < b.input;
  return a.offset < b.offset;
}

void add_distinct(std::vector<std::string>* v, const std::string& s) {
  if (!s.empty()) v->push_back(s);
}

void normalise_list(std::vector<std::string>* v) {
  std::sort(v->begin(), v->end());
  v->erase(std::unique(v->begin(), v->end()), v->end());
}

std::string hex64(std::uint64_t h) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s(16, '0');
  for (int i = 15; i >= 0; --i) {
    s[static_cast<std::size_t>(i)] = kHex[h & 0xF];
    h >>= 4;
  }
  return s;
}

}  // namespace

struct Engine::Impl {
  struct Rule {
    const Detection* detection;
    Matcher matcher;
    std::map<std::string, OperationState> operations;  // ordered: deterministic output
  };
  std::vector<Rule> rules;
  std::unordered_map<std::string, std::vector<std::size_t>> by_operation;  // folded name -> rules
  std::vector<std::size_t> unanchored;
  std::string input;
  EngineStats stats;
  std::string folded;  // reused per event

  void match_rule(Rule& rule, const EventView& ev) {
    if (!eval(rule.matcher, ev)) return;
    OperationState& op = rule.operations[operation_key(ev)];
    op.records.push_back(make_evidence(ev, input));
    if (ev.status == Status::failed) op.failed = true;
    if (ev.status == Status::succeeded) op.succeeded = true;
    if (ev.status == Status::canceled) op.canceled = true;
    if (op.subscription.empty()) op.subscription = ev.subscription;
    if (op.resource_group.empty()) op.resource_group = ev.resource_group;
    if (op.resource_name.empty()) op.resource_name = ev.resource_name;
  }

  Finding operation_finding(const Rule& rule, const std::string& key, OperationState& op) {
    Finding f;
    f.rule = rule.detection;
    std::sort(op.records.begin(), op.records.end(), evidence_before);
    f.first = op.records.front().time;
    f.last = op.records.back().time;
    f.count = 1;
    f.subscription = op.subscription;
    f.resource_group = op.resource_group;
    f.resource_name = op.resource_name;
    f.status = op.failed ? "Failed" : op.succeeded ? "Succeeded" : op.canceled ? "Canceled" : op.records.back().status;
    for (const Evidence& e : op.records) {
      add_distinct(&f.resources, e.resource_id);
      add_distinct(&f.callers, e.caller);
      add_distinct(&f.caller_ips, e.caller_ip);
      add_distinct(&f.correlation_ids, e.correlation_id);
      if (f.operation.empty()) f.operation = e.operation;
      if (f.resource_id.empty()) f.resource_id = e.resource_id;
    }
    normalise_list(&f.resources);
    normalise_list(&f.callers);
    normalise_list(&f.caller_ips);
    normalise_list(&f.correlation_ids);
    f.evidence_total = op.records.size();
    f.evidence.assign(op.records.begin(),
                      op.records.begin() + static_cast<std::ptrdiff_t>(std::min(op.records.size(), kMaxEvidence)));
    f.fingerprint = hex64(base::fnv1a(key, base::fnv1a(rule.detection->id)));
    return f;
  }
};

Engine::Engine(const catalog::Catalog& catalog) : impl_(std::make_unique<Impl>()) {
  for (const Detection& d : catalog.rules()) {
    // Windowed and sequence rules are evaluated by their own aggregators (engine issue #4);
    // until those exist they are not run rather than run wrongly as single-event rules.
    if (d.window.present || d.sequence.present) continue;
    const std::size_t index = impl_->rules.size();
    impl_->rules.push_back({&d, compile(d.match), {}});
    std::vector<std::string> names;
    if (operation_anchor(d.match, &names)) {
      for (const std::string& n : names) impl_->by_operation[n].push_back(index);
    } else {
      impl_->unanchored.push_back(index);
    }
  }
}

Engine::~Engine() = default;

void Engine::begin_input(std::string_view name) { impl_->input = std::string(name); }

void Engine::on_event(const EventView& ev) {
  Impl& im = *impl_;
  ++im.stats.events;
  im.folded.assign(ev.operation);
  for (char& c : im.folded) c = base::lower(c);
  if (auto it = im.by_operation.find(im.folded); it != im.by_operation.end()) {
    for (std::size_t r : it->second) im.match_rule(im.rules[r], ev);
  }
  for (std::size_t r : im.unanchored) im.match_rule(im.rules[r], ev);
}

std::vector<Finding> Engine::finish() {
  std::vector<Finding> findings;
  std::set<std::string> operations;
  for (Impl::Rule& rule : impl_->rules) {
    for (auto& [key, op] : rule.operations) {
      operations.insert(key);
      const Outcome want = rule.detection->outcome;
      const bool fires = want == Outcome::any || (want == Outcome::succeeded && op.succeeded && !op.failed) ||
                         (want == Outcome::failed && op.failed);
      if (fires) findings.push_back(impl_->operation_finding(rule, key, op));
    }
  }
  impl_->stats.operations = operations.size();
  std::sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    if (a.rule->severity != b.rule->severity) return a.rule->severity > b.rule->severity;
    if (a.first != b.first) return a.first < b.first;
    if (a.rule->id != b.rule->id) return a.rule->id < b.rule->id;
    return a.fingerprint < b.fingerprint;
  });
  return findings;
}

EngineStats Engine::stats() const { return impl_->stats; }

std::string_view field_value(const EventView& ev, Field f) {
  switch (f) {
    case Field::operation: return ev.operation;
    case Field::operation_display: return ev.operation_display;
    case Field::status: return ev.status == Status::other ? ev.status_text : record::status_name(ev.status);
    case Field::substatus: return ev.substatus;
    case Field::status_message: return ev.status_message;
    case Field::caller: return ev.caller;
    case Field::caller_ip: return ev.caller_ip;
    case Field::resource_id: return ev.resource_id;
    case Field::subscription: return ev.subscription;
    case Field::resource_group: return ev.resource_group;
    case Field::provider: return ev.provider;
    case Field::resource_type: return ev.resource_type;
    case Field::resource_name: return ev.resource_name;
    case Field::category: return ev.category;
    case Field::level: return ev.level;
    case Field::correlation_id: return ev.correlation_id;
    case Field::operation_id: return ev.operation_id;
    case Field::event_id: return ev.event_id;
    case Field::event_name: return ev.event_name;
    case Field::http_method: return ev.http_method;
    case Field::tenant_id: return ev.tenant_id;
    case Field::app_id: return ev.app_id;
    case Field::authorization_action: return ev.authorization_action;
    case Field::authorization_scope: return ev.authorization_scope;
    case Field::raw: return {};
  }
  return {};
}

bool matches(const Condition& c, const EventView& ev) { return eval(compile(c), ev); }

}  // namespace azd::engine
