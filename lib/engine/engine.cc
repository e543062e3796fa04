// Rule evaluation. Conditions are compiled once into matchers with pre-folded literals, and
// rules anchored on operation names are indexed by the folded name, so an event costs one
// lookup plus the rules that can actually match it.
#include "engine/engine.h"

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <functional>
#include <future>
#include <iterator>
#include <map>
#include <set>
#include <system_error>
#include <unordered_map>
#include <utility>

#include "base/hash_keys.h"
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

// `folded`: the value is already in lower case, so literals (folded at compile time) compare
// byte for byte, as case-sensitive ones do.
bool leaf_matches(const Matcher& m, std::string_view value, bool present, bool folded = false) {
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
  const bool exact = m.case_sensitive || folded;
  for (const std::string& lit : m.values) {
    bool hit = false;
    switch (m.op) {
      case Op::equals:
        hit = exact ? value == lit : base::iequals(value, lit);
        break;
      case Op::prefix:
        hit = exact ? value.substr(0, lit.size()) == lit : base::istarts_with(value, lit);
        break;
      case Op::suffix:
        hit = exact ? (value.size() >= lit.size() && value.substr(value.size() - lit.size()) == lit)
                    : base::iends_with(value, lit);
        break;
      case Op::contains:
        hit = exact ? value.find(lit) != std::string_view::npos : base::icontains(value, lit);
        break;
      case Op::wildcard:
        hit = base::glob_match(lit, value, !exact);
        break;
      default: break;
    }
    if (hit) return true;
  }
  return false;
}

// Whether every view a lazy reader delivers carries field `f` as it is (EventView::pending):
// the operation, status and category are what every event is read for. Anything else may
// be left for EventSource::complete(); raw paths are read from the record's text.
bool always_read(Field f) {
  return f == Field::operation || f == Field::status || f == Field::category || f == Field::raw;
}

// An event as the rules see it: the view delivered, completed (once, into a copy) the first
// time a rule needs what the reader left for later. Most events never are.
class LazyEvent {
 public:
  explicit LazyEvent(const EventView& ev, const std::string* folded_operation = nullptr)
      : ev_(ev), folded_operation_(folded_operation) {}
  const EventView& partial() const { return ev_; }
  /// The operation name in lower case when the caller has folded it (on_event does, for the
  /// anchor lookup), else null.
  const std::string* folded_operation() const { return folded_operation_; }
  const EventView& full() {
    if (!ev_.pending) return ev_;
    if (!completed_) {
      full_ = ev_;
      ev_.source->complete(&full_);
      completed_ = true;
    }
    return full_;
  }

 private:
  const EventView& ev_;
  const std::string* folded_operation_;
  EventView full_;
  bool completed_ = false;
};

// Folded operation name -> the slots anchored on it. Every event is looked up once, so this
// is an open-addressed table (a power-of-two size at most half full, linear probing, keyed
// by base::hash_bytes): the std::unordered_map it replaces spent two divisions and a walk
// of a bucket's chain on each lookup, about 2 % of a scan.
class OperationIndex {
 public:
  void add(const std::string& name, std::size_t slot) {
    if (2 * (count_ + 1) > table_.size()) grow();
    const std::uint64_t h = base::hash_bytes(name);
    Entry& e = table_[probe(name, h)];
    if (!e.used) {
      e = {true, h, name, {}};
      ++count_;
    }
    e.slots.push_back(slot);
  }
  const std::vector<std::size_t>* find(std::string_view name) const {
    if (count_ == 0) return nullptr;
    const Entry& e = table_[probe(name, base::hash_bytes(name))];
    return e.used ? &e.slots : nullptr;
  }

 private:
  struct Entry {
    bool used = false;
    std::uint64_t hash = 0;
    std::string name;
    std::vector<std::size_t> slots;
  };
  // Where the entry holding `name` is, or the free one where it goes.
  std::size_t probe(std::string_view name, std::uint64_t h) const {
    for (std::size_t i = h & (table_.size() - 1);; i = (i + 1) & (table_.size() - 1)) {
      const Entry& e = table_[i];
      if (!e.used || (e.hash == h && e.name == name)) return i;
    }
  }
  void grow() {
    std::vector<Entry> old(std::max<std::size_t>(16, 2 * table_.size()));
    old.swap(table_);
    for (Entry& e : old) {
      if (e.used) table_[probe(e.name, e.hash)] = std::move(e);
    }
  }
  std::vector<Entry> table_;
  std::size_t count_ = 0;
};

// The event's folded operation name, when the caller gave one (LazyEvent), is compared byte
// for byte: every event is tried against the unanchored rules' operation conditions
// (suffixes such as "/delete"), and that costs less than folding the name again for each.
// Case-sensitive conditions still read the name as written. A leaf reading a field that a
// lazily read view may lack completes the event first, so conditions that can be decided
// on the operation or status alone (written first in a rule's `all`) complete no event
// they do not match.
bool eval(const Matcher& m, LazyEvent& event) {
  switch (m.kind) {
    case Condition::Kind::all:
      for (const Matcher& c : m.children) {
        if (!eval(c, event)) return false;
      }
      return true;
    case Condition::Kind::any:
      for (const Matcher& c : m.children) {
        if (eval(c, event)) return true;
      }
      return false;
    case Condition::Kind::negate:
      return !eval(m.children[0], event);
    case Condition::Kind::leaf:
      break;
  }
  const std::string* folded_operation = event.folded_operation();
  if (m.field == Field::operation && folded_operation && !m.case_sensitive) {
    return leaf_matches(m, *folded_operation, !folded_operation->empty(), true);
  }
  const EventView& ev = always_read(m.field) ? event.partial() : event.full();
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
  e.app_id = ev.app_id;
  return e;
}

// One matched record as kept until finish(): its evidence, the status that settles the
// operation, the values of the fields its rule groups or ties on, and its duplicate key.
struct StoredRecord {
  Evidence evidence;
  Status status = Status::none;
  std::string subscription, resource_group, resource_name;
  std::vector<std::string> kept;  // values of Slot::keep, in that order
  std::uint64_t dedup = 0;        // 0: nothing to compare (never a duplicate)
  std::size_t input_index = 0;    // the run-wide index of its input (begin_input)
};

// The records of one operation, for one matcher.
struct OperationState {
  std::vector<StoredRecord> records;
};

bool evidence_before(const Evidence& a, const Evidence& b) {
  if (a.time != b.time) return a.time < b.time;
  if (a.input != b.input) return a.input < b.input;
  return a.offset < b.offset;
}

// Sorted, distinct, empties dropped.
void normalise_list(std::vector<std::string>* v) {
  v->erase(std::remove(v->begin(), v->end(), std::string()), v->end());
  std::sort(v->begin(), v->end());
  v->erase(std::unique(v->begin(), v->end()), v->end());
}

// Resource ids differ only in case between export shapes: one entry per id, the spelling
// kept is the smallest byte-wise (deterministic whatever the input order).
void normalise_ids(std::vector<std::string>* v) {
  std::vector<std::pair<std::string, std::string>> keyed;  // (folded, as written)
  keyed.reserve(v->size());
  for (std::string& s : *v) {
    if (!s.empty()) keyed.emplace_back(base::to_lower(s), std::move(s));
  }
  std::sort(keyed.begin(), keyed.end());
  v->clear();
  for (std::size_t i = 0; i < keyed.size(); ++i) {
    if (i == 0 || keyed[i].first != keyed[i - 1].first) v->push_back(std::move(keyed[i].second));
  }
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

// An operation whose final status fits a rule's outcome, at the time it settled: the first
// Succeeded (or Failed) record, or the first record of any status for outcome `any`. A
// long-running delete counts when it is done, not when it was requested.
struct Instance {
  Ticks time = record::kNoTime;
  const std::string* key = nullptr;
  const OperationState* op = nullptr;
  std::vector<std::string> values;  // folded Slot::keep values of the operation
};

bool settles(const OperationState& op, Outcome want, Ticks* when) {
  bool failed = false, succeeded = false;
  Ticks first_failed = INT64_MAX, first_succeeded = INT64_MAX, first_any = INT64_MAX;
  for (const StoredRecord& r : op.records) {
    const Ticks t = r.evidence.time == record::kNoTime ? INT64_MAX : r.evidence.time;
    first_any = std::min(first_any, t);
    if (r.status == Status::failed) {
      failed = true;
      first_failed = std::min(first_failed, t);
    } else if (r.status == Status::succeeded) {
      succeeded = true;
      first_succeeded = std::min(first_succeeded, t);
    }
  }
  Ticks t = INT64_MAX;
  switch (want) {
    case Outcome::any: t = first_any; break;
    case Outcome::succeeded:
      if (!succeeded || failed) return false;
      t = first_succeeded;
      break;
    case Outcome::failed:
      if (!failed) return false;
      t = first_failed;
      break;
  }
  *when = t == INT64_MAX ? record::kNoTime : t;
  return true;
}

// The value an operation has for a field its records may disagree on (an IP only on the
// Started record, upper-case ids in one export): the earliest non-empty one, ties broken
// by the value, so the choice never depends on input order.
template <typename Get>
std::string pick(const OperationState& op, Get get) {
  const std::string* best = nullptr;
  Ticks best_time = 0;
  for (const StoredRecord& r : op.records) {
    const std::string& v = get(r);
    if (v.empty()) continue;
    if (!best || r.evidence.time < best_time || (r.evidence.time == best_time && v < *best)) {
      best = &v;
      best_time = r.evidence.time;
    }
  }
  return best ? *best : std::string();
}

// The value every item shares (case-insensitively), else "".
std::string common_value(const std::vector<std::string>& values) {
  std::string out;
  for (const std::string& v : values) {
    if (v.empty()) return {};
    if (out.empty()) out = v;
    else if (!base::iequals(out, v)) return {};
  }
  return out;
}

// The scope a resource protects when `segment` names its type: a lock
// `/subscriptions/S/resourceGroups/RG/providers/Microsoft.Authorization/locks/L` protects
// `/subscriptions/S/resourceGroups/RG`. Lower case. Other resources are their own scope.
std::string scope_of(std::string_view resource_id, std::string_view segment) {
  std::string id = base::to_lower(resource_id);
  if (segment.empty()) return id;
  const std::string marker = "/providers/" + base::to_lower(segment) + "/";
  const std::size_t at = id.rfind(marker);
  if (at == std::string::npos || id.find('/', at + marker.size()) != std::string::npos) return id;
  id.resize(at);
  return id;
}

bool inside_scope(std::string_view resource_id, const std::string& scope) {
  if (scope.empty()) return false;
  return base::iequals(resource_id, scope) ||
         (resource_id.size() > scope.size() && resource_id[scope.size()] == '/' && base::istarts_with(resource_id, scope));
}

constexpr std::string_view kResourceGroupDelete = "Microsoft.Resources/subscriptions/resourceGroups/delete";

// Sorts an engine's duplicate keys in place (base::sort_keys: no second array, so memory
// stays 8 bytes per event).
void sort_keys(base::KeyArray* keys) { base::sort_keys(keys->data(), keys->size()); }

// A sorted run of duplicate keys, and the position of its input among all inputs (ascending
// index): on equal keys the lower position holds the kept copy.
struct Run {
  const std::uint64_t* at;
  const std::uint64_t* end;
  std::size_t order;
};

// Counts the copies among sorted runs of keys: of all copies of a key, the one in the run
// with the lowest position is kept, and every other copy adds one to
// (*duplicates)[position of its run]. Runs come in ascending position; runs of one input
// (read by several threads) share its position.
//
// The keys are uniform hashes, so the key range is cut into buckets of about 2,048 keys;
// each bucket's keys, taken run by run in ascending position, go through a small hash set
// that stays in the CPU's cache: the first copy inserted is the kept one, a copy found is a
// duplicate. Each key costs a sequential read and one probe. (The loser tree this replaces
// compared each key once per level with a branch that missed about every other time:
// 33 ns per key, 12 ms for 1 GB in 40 files.)
void count_runs(std::vector<Run> runs, std::vector<std::uint64_t>* duplicates) {
  std::size_t total = 0;
  for (const Run& r : runs) total += static_cast<std::size_t>(r.end - r.at);
  if (total == 0) return;
  // About 2,048 keys per bucket, so the set stays in the first cache levels; but with many
  // short runs (a folder of thousands of small files) fewer, larger buckets, so that
  // finding each run's part of each bucket does not cost more than the keys themselves
  // (2,000 files: 9 ms -> 4 ms).
  constexpr std::size_t kKeysPerBucket = 2048, kKeysPerRunInBucket = 8;
  const std::size_t per_bucket = std::max(kKeysPerBucket, kKeysPerRunInBucket * runs.size());
  const std::uint64_t buckets = std::bit_ceil(std::max<std::size_t>(1, total / per_bucket));
  const std::uint64_t step = ~std::uint64_t{0} / buckets;
  std::vector<const std::uint64_t*> stop(runs.size());
  base::KeySet set;
  for (std::uint64_t b = 0; b < buckets; ++b) {
    const bool last = b + 1 == buckets;  // (takes the few keys past buckets * step too)
    const std::uint64_t bound = step * (b + 1);
    std::size_t count = 0;
    for (std::size_t r = 0; r < runs.size(); ++r) {
      const std::uint64_t* e = runs[r].end;
      if (!last) {
        e = runs[r].at;
        while (e < runs[r].end && *e < bound) ++e;
      }
      stop[r] = e;
      count += static_cast<std::size_t>(e - runs[r].at);
    }
    set.clear(count);
    for (std::size_t r = 0; r < runs.size(); ++r) {
      for (const std::uint64_t* k = runs[r].at; k < stop[r]; ++k) {
        if (!set.insert(*k)) ++(*duplicates)[runs[r].order];  // a run of a lower (or the same) position has it
      }
      runs[r].at = stop[r];
    }
  }
}

}  // namespace

struct Engine::Impl {
  // One compiled condition with the operations it selected. A single-event or windowed
  // rule has one slot; a sequence has one per step.
  struct Slot {
    Matcher matcher;
    Outcome outcome = Outcome::succeeded;
    std::vector<Field> keep;  // fields stored per record (group_by, distinct, same)
    std::map<std::string, OperationState> operations;  // ordered: deterministic output
  };
  struct Rule {
    const Detection* detection;
    std::vector<std::size_t> slots;
  };
  EngineOptions options;
  std::vector<Slot> slots;
  std::vector<Rule> rules;
  OperationIndex by_operation;  // folded name -> slots
  std::vector<std::size_t> unanchored;
  // One input's counts and the duplicate keys of its in-range events (until finish()).
  // Keys are compared only in finish(): each engine's own keys are one run, sorted on its
  // reading thread (prepare_merge()); merge() adds the other engines' runs without joining
  // them, and count_duplicates() counts all runs together, bucket by bucket of key values.
  struct InputState {
    InputStats stats;
    base::KeyArray keys;              // this engine's, in arrival order until sorted
    bool sorted = true;               // keys are in ascending order
    std::vector<base::KeyArray> runs;  // sorted keys of merged engines
  };
  std::string input;
  std::size_t input_index = 0;
  EngineStats stats;
  std::string scratch;                  // duplicate_key()'s, reused per event
  std::string operation;                // this event's operation name in lower case
  std::map<std::size_t, InputState> inputs;  // by run-wide index: merge order never matters
  InputState* current = nullptr;        // the input of the next event
  // Children of resource-group deletes: folded correlation id -> resource ids.
  std::map<std::string, std::vector<std::string>> cascades;

  std::size_t add_slot(const catalog::Condition& match, Outcome outcome, std::vector<Field> keep) {
    const std::size_t index = slots.size();
    slots.push_back({compile(match), outcome, std::move(keep), {}});
    std::vector<std::string> names;
    if (operation_anchor(match, &names)) {
      for (const std::string& n : names) by_operation.add(n, index);
    } else {
      unanchored.push_back(index);
    }
    return index;
  }

  void add_rule(const Detection& d) {
    Rule rule{&d, {}};
    if (d.sequence.present) {
      for (const catalog::SequenceStep& step : d.sequence.steps) {
        rule.slots.push_back(add_slot(step.match, step.outcome, d.sequence.same));
      }
    } else {
      std::vector<Field> keep;
      if (d.window.present) {
        keep = d.window.group_by;
        if (d.window.count_distinct) keep.push_back(d.window.distinct);
      }
      rule.slots.push_back(add_slot(d.match, d.outcome, std::move(keep)));
    }
    rules.push_back(std::move(rule));
  }

  // Copies of one event from overlapping exports share an event data id, or else are the
  // same text; either way they get the same key. The time and status join the id because
  // redacted samples reuse one placeholder id ("xxxxxxxx-...") for different events.
  static std::uint64_t duplicate_key(const EventView& ev, std::string* scratch) {
    std::uint64_t h = 0;
    if (!ev.event_id.empty()) {
      scratch->assign(ev.event_id);
      for (char& c : *scratch) c = base::lower(c);
      scratch->append(reinterpret_cast<const char*>(&ev.time), sizeof ev.time);
      scratch->push_back(static_cast<char>(ev.status));
      h = base::hash_bytes(*scratch) ^ 0x9e3779b97f4a7c15ULL;
    } else if (!ev.raw.empty()) {
      h = base::hash_bytes(ev.raw);
    }
    return h == 0 ? 1 : h;
  }

  void match_slot(Slot& slot, LazyEvent& event, std::uint64_t dedup) {
    if (!eval(slot.matcher, event)) return;
    const EventView& ev = event.full();  // evidence and group-by fields need the caller
    OperationState& op = slot.operations[operation_key(ev)];
    StoredRecord r;
    r.evidence = make_evidence(ev, input);
    r.status = ev.status;
    r.subscription = ev.subscription;
    r.resource_group = ev.resource_group;
    r.resource_name = ev.resource_name;
    for (Field f : slot.keep) r.kept.emplace_back(field_value(ev, f));
    r.dedup = dedup;
    r.input_index = input_index;
    op.records.push_back(std::move(r));
  }

  // Drops the stored copies of a record seen more than once (overlapping exports), keeping
  // the one first in (input index, offset) order -- the copy count_duplicates() does not
  // count -- so the evidence does not depend on arrival.
  static void drop_duplicates(Slot& slot) {
    std::unordered_map<std::uint64_t, const StoredRecord*> keep;
    for (auto& [key, op] : slot.operations) {
      for (const StoredRecord& r : op.records) {
        if (r.dedup == 0) continue;
        auto [it, fresh] = keep.emplace(r.dedup, &r);
        const StoredRecord& k = *it->second;
        if (!fresh && (r.input_index < k.input_index ||
                       (r.input_index == k.input_index && r.evidence.offset < k.evidence.offset))) {
          it->second = &r;
        }
      }
    }
    for (auto it = slot.operations.begin(); it != slot.operations.end();) {
      auto& records = it->second.records;
      std::vector<StoredRecord> kept;
      for (StoredRecord& r : records) {
        if (r.dedup != 0) {
          auto k = keep.find(r.dedup);
          if (k == keep.end()) continue;  // its twin was already kept
          if (k->second != &r) continue;
          keep.erase(k);
        }
        kept.push_back(std::move(r));
      }
      records = std::move(kept);
      it = records.empty() ? slot.operations.erase(it) : std::next(it);
    }
  }

  // Sets each input's duplicates: of all copies of a key, the one in the lowest input index
  // is kept (which copy within that input does not change the counts); every other copy is
  // a duplicate of its own input. Each input's keys are sorted in place and counted with
  // every other run (count_runs()), so memory stays one key per event however many inputs
  // there are.
  void count_duplicates() {
    std::vector<InputState*> order;  // ascending index
    std::vector<Run> runs;
    for (auto& [index, in] : inputs) {
      if (!in.sorted) sort_keys(&in.keys);
      in.sorted = true;
      if (!in.keys.empty()) runs.push_back({in.keys.data(), in.keys.data() + in.keys.size(), order.size()});
      for (const base::KeyArray& r : in.runs) {
        if (!r.empty()) runs.push_back({r.data(), r.data() + r.size(), order.size()});
      }
      order.push_back(&in);
    }
    std::vector<std::uint64_t> counts(order.size(), 0);
    count_runs(std::move(runs), &counts);
    stats.duplicates = 0;
    for (std::size_t i = 0; i < order.size(); ++i) {
      order[i]->stats.duplicates = counts[i];
      stats.duplicates += counts[i];
      order[i]->keys.release();
      std::vector<base::KeyArray>().swap(order[i]->runs);
    }
  }

  // Fills what every kind of finding reports about the operations behind it.
  void describe(Finding* f, const std::vector<const OperationState*>& ops) const {
    std::vector<const Evidence*> all;
    for (const OperationState* op : ops) {
      for (const StoredRecord& r : op->records) {
        all.push_back(&r.evidence);
        f->resources.push_back(r.evidence.resource_id);
        f->callers.push_back(r.evidence.caller);
        f->caller_ips.push_back(r.evidence.caller_ip);
        f->correlation_ids.push_back(r.evidence.correlation_id);
        f->app_ids.push_back(r.evidence.app_id);
      }
    }
    std::sort(all.begin(), all.end(), [](const Evidence* a, const Evidence* b) { return evidence_before(*a, *b); });
    normalise_ids(&f->resources);
    normalise_list(&f->callers);
    normalise_list(&f->caller_ips);
    normalise_ids(&f->correlation_ids);
    normalise_list(&f->app_ids);
    for (const std::string& corr : f->correlation_ids) {
      auto it = cascades.find(base::to_lower(corr));
      if (it == cascades.end()) continue;
      f->cascaded_resources.insert(f->cascaded_resources.end(), it->second.begin(), it->second.end());
    }
    normalise_ids(&f->cascaded_resources);
    f->evidence_total = all.size();
    for (std::size_t i = 0; i < all.size() && i < kMaxEvidence; ++i) f->evidence.push_back(*all[i]);
  }

  static std::string status_text(Outcome want, const OperationState& op) {
    switch (want) {
      case Outcome::succeeded: return "Succeeded";
      case Outcome::failed: return "Failed";
      case Outcome::any: break;
    }
    for (Status s : {Status::failed, Status::succeeded, Status::canceled}) {
      for (const StoredRecord& r : op.records) {
        if (r.status == s) return std::string(record::status_name(s));
      }
    }
    return op.records.back().evidence.status;
  }

  // The operation's own location: subscription, group, name, id, operation name.
  static void locate(Finding* f, const OperationState& op) {
    f->subscription = pick(op, [](const StoredRecord& r) -> const std::string& { return r.subscription; });
    f->resource_group = pick(op, [](const StoredRecord& r) -> const std::string& { return r.resource_group; });
    f->resource_name = pick(op, [](const StoredRecord& r) -> const std::string& { return r.resource_name; });
    f->resource_id = pick(op, [](const StoredRecord& r) -> const std::string& { return r.evidence.resource_id; });
    f->operation = pick(op, [](const StoredRecord& r) -> const std::string& { return r.evidence.operation; });
  }

  Finding single_finding(const Rule& rule, const Slot& slot, const std::string& key, const OperationState& op) const {
    Finding f;
    f.rule = rule.detection;
    describe(&f, {&op});
    f.first = f.evidence.front().time;
    f.last = record::kNoTime;
    for (const StoredRecord& r : op.records) f.last = std::max(f.last, r.evidence.time);
    f.count = 1;
    locate(&f, op);
    f.status = status_text(slot.outcome, op);
    f.fingerprint = hex64(base::fnv1a(key, base::fnv1a(rule.detection->id)));
    return f;
  }

  // Settled operations of a slot, with their kept values folded.
  static std::vector<Instance> instances(const Slot& slot) {
    std::vector<Instance> out;
    for (const auto& [key, op] : slot.operations) {
      Instance in;
      if (!settles(op, slot.outcome, &in.time) || in.time == record::kNoTime) continue;
      in.key = &key;
      in.op = &op;
      for (std::size_t i = 0; i < slot.keep.size(); ++i) {
        in.values.push_back(base::to_lower(pick(op, [i](const StoredRecord& r) -> const std::string& { return r.kept[i]; })));
      }
      out.push_back(std::move(in));
    }
    return out;
  }

  void window_findings(const Rule& rule, std::vector<Finding>* out) const {
    const catalog::WindowSpec& w = rule.detection->window;
    const Slot& slot = slots[rule.slots[0]];
    std::vector<Instance> all = instances(slot);
    const std::size_t groups = w.group_by.size();
    // What an instance counts as: its distinct value, or itself.
    auto counted = [&](const Instance& in) -> const std::string& { return w.count_distinct ? in.values[groups] : *in.key; };
    if (w.count_distinct) {
      all.erase(std::remove_if(all.begin(), all.end(), [&](const Instance& in) { return counted(in).empty(); }), all.end());
    }
    std::sort(all.begin(), all.end(), [&](const Instance& a, const Instance& b) {
      for (std::size_t g = 0; g < groups; ++g) {
        if (a.values[g] != b.values[g]) return a.values[g] < b.values[g];
      }
      if (a.time != b.time) return a.time < b.time;
      if (counted(a) != counted(b)) return counted(a) < counted(b);
      return *a.key < *b.key;
    });
    auto same_group = [&](const Instance& a, const Instance& b) {
      for (std::size_t g = 0; g < groups; ++g) {
        if (a.values[g] != b.values[g]) return false;
      }
      return true;
    };
    for (std::size_t begin = 0; begin < all.size();) {
      std::size_t end = begin;
      while (end < all.size() && same_group(all[begin], all[end])) ++end;
      // Two pointers over the group's instances in time order: [l, r] is the longest window
      // ending at r that spans at most the timespan. Windows reaching the threshold that
      // share an instance belong to the same burst.
      std::map<std::string_view, std::size_t> in_window;
      std::size_t l = begin;
      bool bursting = false;
      std::size_t burst_first = 0, burst_last = 0;
      for (std::size_t r = begin; r < end; ++r) {
        ++in_window[counted(all[r])];
        while (all[r].time - all[l].time > w.timespan_ticks) {
          auto it = in_window.find(counted(all[l]));
          if (--it->second == 0) in_window.erase(it);
          ++l;
        }
        if (in_window.size() < w.threshold) continue;
        if (bursting && l > burst_last) {
          out->push_back(burst_finding(rule, all, burst_first, burst_last));
          bursting = false;
        }
        if (!bursting) burst_first = l;
        bursting = true;
        burst_last = r;
      }
      if (bursting) out->push_back(burst_finding(rule, all, burst_first, burst_last));
      begin = end;
    }
  }

  Finding burst_finding(const Rule& rule, const std::vector<Instance>& all, std::size_t first, std::size_t last) const {
    const catalog::WindowSpec& w = rule.detection->window;
    Finding f;
    f.rule = rule.detection;
    std::vector<const OperationState*> ops;
    std::vector<std::string> distinct, subscriptions, groups_of_resources, operations;
    for (std::size_t i = first; i <= last; ++i) {
      ops.push_back(all[i].op);
      distinct.push_back(w.count_distinct ? all[i].values[w.group_by.size()] : *all[i].key);
      Finding where;
      locate(&where, *all[i].op);
      subscriptions.push_back(where.subscription);
      groups_of_resources.push_back(where.resource_group);
      operations.push_back(where.operation);
    }
    describe(&f, ops);
    normalise_list(&distinct);
    f.count = distinct.size();
    f.first = all[first].time;
    f.last = all[last].time;
    f.subscription = common_value(subscriptions);
    f.resource_group = common_value(groups_of_resources);
    f.operation = common_value(operations);
    if (f.resources.size() == 1) {
      f.resource_id = f.resources.front();
      f.resource_name = std::string(record::split_resource_id(f.resource_id).name);
    }
    f.status = status_text(rule.detection->outcome, *all[first].op);
    std::uint64_t h = base::fnv1a(rule.detection->id);
    for (std::size_t g = 0; g < w.group_by.size(); ++g) {
      f.group.emplace_back(std::string(catalog::field_name(w.group_by[g])),
                           pick(*all[first].op, [g](const StoredRecord& r) -> const std::string& { return r.kept[g]; }));
      h = base::fnv1a(all[first].values[g], h);
    }
    h = base::fnv1a(*all[first].key, base::fnv1a(record::format_time(f.first), h));
    f.fingerprint = hex64(h);
    return f;
  }

  // One finding per operation of the last step, chained to the latest operation of each
  // earlier step that precedes it within `within`, with equal `same` values and (with
  // scope_of_first) inside the first step's scope.
  void sequence_findings(const Rule& rule, std::vector<Finding>* out) const {
    const catalog::SequenceSpec& seq = rule.detection->sequence;
    const std::size_t steps = rule.slots.size();
    // Per step: instances by their joined `same` values, sorted by time.
    std::vector<std::map<std::string, std::vector<Instance>>> by_tie(steps);
    auto tie_of = [](const Instance& in, std::string* tie) {
      tie->clear();
      for (const std::string& v : in.values) {
        if (v.empty()) return false;
        *tie += v;
        *tie += '\x1f';
      }
      return true;
    };
    std::string tie;
    for (std::size_t s = 0; s < steps; ++s) {
      for (Instance& in : instances(slots[rule.slots[s]])) {
        if (tie_of(in, &tie)) by_tie[s][tie].push_back(std::move(in));
      }
      for (auto& [k, v] : by_tie[s]) {
        std::sort(v.begin(), v.end(), [](const Instance& a, const Instance& b) {
          return a.time != b.time ? a.time < b.time : *a.key < *b.key;
        });
      }
    }
    for (const auto& [tie_key, lasts] : by_tie[steps - 1]) {
      for (const Instance& last : lasts) {
        std::vector<const Instance*> chain(steps, nullptr);
        chain[steps - 1] = &last;
        bool complete = true;
        for (std::size_t s = steps - 1; s-- > 0 && complete;) {
          complete = false;
          auto it = by_tie[s].find(tie_key);
          if (it == by_tie[s].end()) break;
          const std::vector<Instance>& cands = it->second;
          const Instance& next = *chain[s + 1];
          auto hi = std::upper_bound(cands.begin(), cands.end(), next.time,
                                     [](Ticks t, const Instance& in) { return t < in.time; });
          while (hi != cands.begin()) {
            const Instance& c = *--hi;
            if (last.time - c.time > seq.within_ticks) break;
            if (*c.key == *next.key) continue;
            if (s == 0 && !seq.scope_of_first.empty() && !covers(c, chain, seq.scope_of_first)) continue;
            chain[s] = &c;
            complete = true;
            break;
          }
        }
        if (complete) out->push_back(sequence_finding(rule, chain));
      }
    }
  }

  static bool covers(const Instance& first, const std::vector<const Instance*>& chain, const std::string& segment) {
    const std::string scope = scope_of(
        pick(*first.op, [](const StoredRecord& r) -> const std::string& { return r.evidence.resource_id; }), segment);
    for (std::size_t s = 1; s < chain.size(); ++s) {
      const std::string resource =
          pick(*chain[s]->op, [](const StoredRecord& r) -> const std::string& { return r.evidence.resource_id; });
      if (!inside_scope(resource, scope)) return false;
    }
    return true;
  }

  Finding sequence_finding(const Rule& rule, const std::vector<const Instance*>& chain) const {
    const catalog::SequenceSpec& seq = rule.detection->sequence;
    Finding f;
    f.rule = rule.detection;
    std::vector<const OperationState*> ops;
    for (const Instance* in : chain) ops.push_back(in->op);
    describe(&f, ops);
    const Instance& last = *chain.back();
    locate(&f, *last.op);
    f.first = chain.front()->time;
    f.last = last.time;
    f.count = chain.size();
    f.status = status_text(seq.steps.back().outcome, *last.op);
    for (std::size_t g = 0; g < seq.same.size(); ++g) {
      f.group.emplace_back(std::string(catalog::field_name(seq.same[g])),
                           pick(*last.op, [g](const StoredRecord& r) -> const std::string& { return r.kept[g]; }));
    }
    std::uint64_t h = base::fnv1a(rule.detection->id);
    for (const Instance* in : chain) h = base::fnv1a(*in->key, h);
    f.fingerprint = hex64(h);
    return f;
  }
};

Engine::Engine(const catalog::Catalog& catalog, EngineOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  for (const Detection& d : catalog.rules()) {
    if (impl_->options.select && !impl_->options.select(d)) continue;
    impl_->add_rule(d);
  }
}

Engine::~Engine() = default;

void Engine::begin_input(std::string_view name, std::size_t index) {
  impl_->input = std::string(name);
  impl_->input_index = index;
  impl_->current = &impl_->inputs[index];
}

void Engine::on_event(const EventView& ev) {
  Impl& im = *impl_;
  if (!im.current) im.current = &im.inputs[im.input_index];  // no begin_input(): input 0
  ++im.stats.events;
  ++im.current->stats.events;
  const EngineOptions& o = im.options;
  if (o.since != record::kNoTime || o.until != record::kNoTime) {
    if (ev.time == record::kNoTime || (o.since != record::kNoTime && ev.time < o.since) ||
        (o.until != record::kNoTime && ev.time > o.until)) {
      ++im.stats.out_of_range;
      ++im.current->stats.out_of_range;
      return;
    }
  }
  const std::uint64_t dedup = Impl::duplicate_key(ev, &im.scratch);
  im.current->keys.push_back(dedup);
  im.current->sorted = false;
  base::assign_lower(&im.operation, ev.operation);
  LazyEvent event(ev, &im.operation);
  // A resource deleted with its group writes its own delete, authorised by the group's
  // (formats.md, cascaded deletes). Only deletes are looked at, so the authorisation, which
  // a lazy reader may leave for later, is read for no other event.
  if (std::string_view(im.operation).ends_with("/delete")) {
    const EventView& full = event.full();
    if (full.authorization_action.size() == kResourceGroupDelete.size() && !full.resource_id.empty() &&
        base::iequals(full.authorization_action, kResourceGroupDelete) &&
        !base::iequals(full.operation, kResourceGroupDelete)) {
      im.cascades[base::to_lower(full.correlation_id)].emplace_back(full.resource_id);
    }
  }
  if (const std::vector<std::size_t>* anchored = im.by_operation.find(im.operation)) {
    for (std::size_t s : *anchored) im.match_slot(im.slots[s], event, dedup);
  }
  for (std::size_t s : im.unanchored) im.match_slot(im.slots[s], event, dedup);
}

void Engine::prepare_merge() {
  for (auto& [index, in] : impl_->inputs) {
    if (!in.sorted) sort_keys(&in.keys);
    in.sorted = true;
  }
}

void Engine::merge(Engine&& other) {
  Impl& im = *impl_;
  Impl& o = *other.impl_;
  for (std::size_t s = 0; s < im.slots.size() && s < o.slots.size(); ++s) {
    for (auto& [key, op] : o.slots[s].operations) {
      auto& records = im.slots[s].operations[key].records;
      std::move(op.records.begin(), op.records.end(), std::back_inserter(records));
    }
    o.slots[s].operations.clear();
  }
  for (auto& [index, theirs] : o.inputs) {
    Impl::InputState& mine = im.inputs[index];
    mine.stats.events += theirs.stats.events;
    mine.stats.out_of_range += theirs.stats.out_of_range;
    // Runs are kept apart (count_duplicates() walks them together), so merging moves no keys.
    if (!theirs.sorted) sort_keys(&theirs.keys);
    if (!theirs.keys.empty()) mine.runs.push_back(std::move(theirs.keys));
    for (base::KeyArray& r : theirs.runs) mine.runs.push_back(std::move(r));
  }
  o.inputs.clear();
  o.current = nullptr;
  for (auto& [corr, children] : o.cascades) {
    auto& mine = im.cascades[corr];
    mine.insert(mine.end(), children.begin(), children.end());
  }
  o.cascades.clear();
  im.stats.events += o.stats.events;
  im.stats.out_of_range += o.stats.out_of_range;
  o.stats = {};
}

std::vector<Finding> Engine::finish(unsigned threads) {
  Impl& im = *impl_;
  // The duplicate count reads and writes only the inputs' keys and counts (and
  // stats.duplicates); the findings only the slots, rules and cascades. So with a second
  // thread the count runs beside the findings (2.4 ms of the 1 GB benchmark).
  std::future<void> counted;
  if (threads > 1) {
    try {
      counted = std::async(std::launch::async, [&im] { im.count_duplicates(); });
    } catch (const std::system_error&) {  // no thread to be had: count here
    }
  }
  if (!counted.valid()) im.count_duplicates();
  for (auto& [corr, children] : im.cascades) normalise_ids(&children);

  std::vector<Finding> findings;
  std::set<std::string> operations;
  for (Impl::Slot& slot : im.slots) {
    Impl::drop_duplicates(slot);
    for (const auto& [key, op] : slot.operations) operations.insert(key);
  }
  for (const Impl::Rule& rule : im.rules) {
    const Detection& d = *rule.detection;
    if (d.sequence.present) {
      im.sequence_findings(rule, &findings);
    } else if (d.window.present) {
      im.window_findings(rule, &findings);
    } else {
      const Impl::Slot& slot = im.slots[rule.slots[0]];
      for (const auto& [key, op] : slot.operations) {
        Ticks when;
        if (settles(op, slot.outcome, &when)) findings.push_back(im.single_finding(rule, slot, key, op));
      }
    }
  }
  im.stats.operations = operations.size();
  std::sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    if (a.rule->severity != b.rule->severity) return a.rule->severity > b.rule->severity;
    if (a.first != b.first) return a.first < b.first;
    if (a.rule->id != b.rule->id) return a.rule->id < b.rule->id;
    return a.fingerprint < b.fingerprint;
  });
  if (counted.valid()) counted.get();  // (rethrows what the count threw)
  return findings;
}

EngineStats Engine::stats() const { return impl_->stats; }

InputStats Engine::input_stats(std::size_t index) const {
  auto it = impl_->inputs.find(index);
  return it == impl_->inputs.end() ? InputStats{} : it->second.stats;
}

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

struct EventFilter::Impl {
  Matcher matcher;
};

EventFilter::EventFilter(const Condition& c) : impl_(std::make_unique<Impl>()) { impl_->matcher = compile(c); }
EventFilter::~EventFilter() = default;
EventFilter::EventFilter(EventFilter&&) noexcept = default;
EventFilter& EventFilter::operator=(EventFilter&&) noexcept = default;

bool EventFilter::matches(const EventView& ev) const {
  LazyEvent event(ev);
  return eval(impl_->matcher, event);
}

bool matches(const Condition& c, const EventView& ev) { return EventFilter(c).matches(ev); }

Evidence evidence_from(const EventView& ev, const std::string& input) {
  LazyEvent event(ev);
  return make_evidence(event.full(), input);
}

}  // namespace azd::engine
