// The reader: splits an input into records by shape and maps each record onto EventView.
//
// Every JSON shape is reduced to "a sequence of object spans" (lines, array elements, or
// the elements of an envelope's array), and each span is parsed as its own small simdjson
// On Demand document. That keeps memory flat for any file size, lets one bad record be
// reported and skipped without losing the rest, and gives every event a byte offset.
#include <simdjson.h>

#include <cstring>

#include "base/text.h"
#include "input/input.h"
#include "record/json_scan.h"
#include "record/record.h"

namespace azd::record {

static_assert(input::kPadding == simdjson::SIMDJSON_PADDING, "input padding must match simdjson's");

namespace {

namespace od = simdjson::ondemand;
using base::iequals;
using detail::skip_ws;
using detail::value_end;

// Keys are compared after folding case and dropping '_', so camelCase (az CLI, REST),
// PascalCase (PowerShell, Log Analytics) and snake_case (Python SDK) names meet.
struct FoldedKey {
  char buf[48];
  std::size_t len = 0;
  bool ok = true;
  explicit FoldedKey(std::string_view key) {
    for (char c : key) {
      if (c == '_') continue;
      if (len == sizeof buf) {
        ok = false;
        return;
      }
      buf[len++] = base::lower(c);
    }
  }
  std::string_view view() const { return ok ? std::string_view(buf, len) : std::string_view(); }
};

// The key of an object field as written (keys in Activity Logs never contain escapes; a key
// that does simply matches nothing).
std::string_view key_of(od::field& f) {
  const char* raw = f.key().raw();
  const char* end = std::strchr(raw, '"');
  return end ? std::string_view(raw, static_cast<std::size_t>(end - raw)) : std::string_view();
}

bool is_activity_category(std::string_view c) {
  static constexpr std::string_view kCategories[] = {
      "Administrative", "Policy", "Security", "ServiceHealth", "ResourceHealth", "Alert",
      "Autoscale", "Recommendation", "Write", "Delete", "Action"};
  for (std::string_view k : kCategories) {
    if (iequals(c, k)) return true;
  }
  return false;
}

bool is_legacy_category(std::string_view c) {
  return iequals(c, "Write") || iequals(c, "Delete") || iequals(c, "Action");
}

}  // namespace

struct Reader::Impl final : EventSource {
  od::parser parser;
  mutable od::parser raw_parser;  // for raw_field(), so the main document stays intact
  mutable std::string raw_scratch;  // padded copy of JSON held inside a string value
  // The current record's document for raw_field(): several rules may read raw fields of one
  // event (request and response bodies), and rewinding costs nothing where a new iterate()
  // re-runs stage 1 over the record. Keyed by the record's first byte; read() resets it.
  mutable od::document raw_doc;
  mutable const char* raw_doc_at = nullptr;
  std::string_view text;
  ReadResult* result = nullptr;
  const EventCallback* on_event = nullptr;

  // The record being delivered.
  std::size_t rec_begin = 0, rec_end = 0;

  // Owned storage for values that are not contiguous in the input.
  std::string scratch_type;

  // Line counting is incremental: offsets mostly grow, so each byte is counted once.
  mutable std::uint64_t line_pos = 0, line_no = 1;

  std::uint64_t line_of(std::uint64_t offset) const override {
    if (offset > text.size()) offset = text.size();
    if (offset < line_pos) {
      line_pos = 0;
      line_no = 1;
    }
    const char* p = text.data() + line_pos;
    const char* end = text.data() + offset;
    while (p < end) {
      const void* nl = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
      if (!nl) break;
      ++line_no;
      p = static_cast<const char*>(nl) + 1;
    }
    line_pos = offset;
    return line_no;
  }

  bool raw_field(std::string_view dotted_path, std::string* out) const override;

  void issue(std::size_t offset, std::string reason) {
    ++result->issue_count;
    if (result->issues.size() < kMaxIssues) {
      result->issues.push_back({offset, line_of(offset), std::move(reason)});
    }
  }

  void skip(std::size_t offset, std::string reason) {
    ++result->records;
    ++result->skipped;
    issue(offset, std::move(reason));
  }

  // Parses text[begin, end) as one record and delivers it.
  void record(std::size_t begin, std::size_t end);
  bool map_object(od::object obj, EventView* ev, std::string* why);
  void map_claims(od::object claims, EventView* ev, std::string_view* upn, std::string_view* name,
                  std::string_view* oid);
  void finish_event(EventView* ev, std::string_view upn, std::string_view name, std::string_view oid);

  // Shape walkers.
  void read_lines(std::size_t begin);
  void read_concatenated(std::size_t begin);
  void read_array(std::size_t open, bool top_level);
  void read_envelopes(std::size_t begin);
};

namespace {

// The JSON text of an object or array value (On Demand has raw_json() only on those types).
simdjson::error_code raw_json_of(od::value v, od::json_type t, std::string_view* out) {
  if (t == od::json_type::object) {
    od::object o;
    if (auto e = v.get_object().get(o)) return e;
    return o.raw_json().get(*out);
  }
  od::array a;
  if (auto e = v.get_array().get(a)) return e;
  return a.raw_json().get(*out);
}

// Reads a string, or the `value` of a {value, localizedValue} object; numbers as their text.
// `display` (optional) receives localizedValue.
simdjson::error_code string_or_value(od::value v, std::string_view* out,
                                     std::string_view* display = nullptr) {
  od::json_type t;
  if (auto e = v.type().get(t)) return e;
  switch (t) {
    case od::json_type::string: return v.get_string().get(*out);
    case od::json_type::number:
    case od::json_type::boolean: {
      std::string_view raw = v.raw_json_token();
      while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\n' || raw.back() == '\r' ||
                              raw.back() == '\t' || raw.back() == ','))
        raw.remove_suffix(1);
      *out = raw;
      return simdjson::SUCCESS;
    }
    case od::json_type::object: {
      od::object o;
      if (auto e = v.get_object().get(o)) return e;
      for (auto field : o) {
        od::field f;
        if (auto e = std::move(field).get(f)) return e;
        FoldedKey k(key_of(f));
        if (k.view() == "value") {
          if (auto e = string_or_value(f.value(), out)) return e;
        } else if (display && k.view() == "localizedvalue") {
          if (auto e = string_or_value(f.value(), display)) return e;
        }
      }
      return simdjson::SUCCESS;
    }
    default: return simdjson::SUCCESS;  // null and arrays mean "absent"
  }
}

}  // namespace

void Reader::Impl::map_claims(od::object claims, EventView* ev, std::string_view* upn,
                              std::string_view* name, std::string_view* oid) {
  for (auto field : claims) {
    od::field f;
    if (std::move(field).get(f)) return;
    std::string_view key = key_of(f);
    std::string_view value;
    auto slash = key.rfind('/');
    std::string_view tail = slash == std::string_view::npos ? key : key.substr(slash + 1);
    std::string_view* target = nullptr;
    if (iequals(tail, "upn")) target = upn;
    else if (iequals(tail, "name") && slash != std::string_view::npos) target = name;
    else if (iequals(tail, "objectidentifier") || iequals(key, "oid")) target = oid;
    else if (iequals(key, "appid")) target = &ev->app_id;
    if (target && !f.value().get_string().get(value)) *target = value;
  }
}

bool Reader::Impl::map_object(od::object obj, EventView* ev, std::string* why) {
  std::string_view upn, name, oid, legacy_event_category, status_code;
  bool identity_is_string = false;
  for (auto field : obj) {
    od::field f;
    if (auto e = std::move(field).get(f)) {
      *why = std::string("malformed JSON: ") + simdjson::error_message(e);
      return false;
    }
    FoldedKey folded(key_of(f));
    std::string_view k = folded.view();
    if (k.empty()) continue;
    od::value v = f.value();
    simdjson::error_code e = simdjson::SUCCESS;
    switch (k[0]) {
      case 'a':
        if (k == "authorization") {
          od::object a;
          if (v.get_object().get(a)) break;
          for (auto af : a) {
            od::field x;
            if (std::move(af).get(x)) break;
            FoldedKey ak(key_of(x));
            if (ak.view() == "action") e = string_or_value(x.value(), &ev->authorization_action);
            else if (ak.view() == "scope") e = string_or_value(x.value(), &ev->authorization_scope);
          }
        }
        break;
      case 'c':
        if (k == "caller") e = string_or_value(v, &ev->caller);
        else if (k == "calleripaddress") e = string_or_value(v, &ev->caller_ip);
        else if (k == "correlationid") e = string_or_value(v, &ev->correlation_id);
        else if (k == "category" || k == "categoryvalue") e = string_or_value(v, &ev->category);
        else if (k == "claims") {
          od::object c;
          if (!v.get_object().get(c)) map_claims(c, ev, &upn, &name, &oid);
        }
        break;
      case 'e':
        if (k == "eventtimestamp") e = string_or_value(v, &ev->time_text);
        else if (k == "eventdataid") e = string_or_value(v, &ev->event_id);
        else if (k == "eventname") e = string_or_value(v, &ev->event_name);
        break;
      case 'h':
        if (k == "httprequest") {
          od::object h;
          if (v.get_object().get(h)) break;
          for (auto hf : h) {
            od::field x;
            if (std::move(hf).get(x)) break;
            FoldedKey hk(key_of(x));
            if (hk.view() == "clientipaddress") e = string_or_value(x.value(), &ev->caller_ip);
            else if (hk.view() == "method") e = string_or_value(x.value(), &ev->http_method);
          }
        }
        break;
      case 'i':
        if (k == "identity") {
          od::json_type t;
          if (v.type().get(t) || t != od::json_type::object) {
            identity_is_string = true;  // Entra audit logs write a display string here
            break;
          }
          od::object id;
          if (v.get_object().get(id)) break;
          for (auto idf : id) {
            od::field x;
            if (std::move(idf).get(x)) break;
            FoldedKey ik(key_of(x));
            od::object sub;
            if (ik.view() == "claims") {
              if (!x.value().get_object().get(sub)) map_claims(sub, ev, &upn, &name, &oid);
            } else if (ik.view() == "authorization") {
              if (x.value().get_object().get(sub)) continue;
              for (auto af : sub) {
                od::field y;
                if (std::move(af).get(y)) break;
                FoldedKey ak(key_of(y));
                if (ak.view() == "action") e = string_or_value(y.value(), &ev->authorization_action);
                else if (ak.view() == "scope") e = string_or_value(y.value(), &ev->authorization_scope);
              }
            }
          }
        }
        break;
      case 'l':
        if (k == "level") e = string_or_value(v, &ev->level);
        break;
      case 'o':
        if (k == "operationname" || k == "operationnamevalue") {
          e = string_or_value(v, &ev->operation, &ev->operation_display);
        } else if (k == "operationid") {
          e = string_or_value(v, &ev->operation_id);
        }
        break;
      case 'p':
        if (k == "properties") {
          od::object p;
          if (v.get_object().get(p)) break;  // a string or null: nothing to take
          for (auto pf : p) {
            od::field x;
            if (std::move(pf).get(x)) break;
            FoldedKey pk(key_of(x));
            if (pk.view() == "statusmessage") {
              // Usually a JSON string; an object is kept as its JSON text.
              od::value sv = x.value();
              od::json_type t;
              if (sv.type().get(t)) break;
              if (t == od::json_type::object || t == od::json_type::array) {
                std::string_view raw;
                if (!raw_json_of(sv, t, &raw)) ev->status_message = raw;
              } else {
                e = string_or_value(sv, &ev->status_message);
              }
            } else if (pk.view() == "statuscode") {
              e = string_or_value(x.value(), &status_code);
            } else if (pk.view() == "eventcategory") {
              e = string_or_value(x.value(), &legacy_event_category);
            }
          }
        }
        break;
      case 'r':
        if (k == "resourceid" || k == "resourceuri") e = string_or_value(v, &ev->resource_id);
        else if (k == "resourcegroupname" || k == "resourcegroup") e = string_or_value(v, &ev->resource_group);
        else if (k == "resourceprovidername" || k == "resourceprovidervalue") e = string_or_value(v, &ev->provider);
        else if (k == "resourcetype") e = string_or_value(v, &ev->resource_type);
        else if (k == "resulttype") {
          if (ev->status_text.empty()) e = string_or_value(v, &ev->status_text);
        } else if (k == "resultsignature") {
          std::string_view sig;
          e = string_or_value(v, &sig);
          if (auto dot = sig.find('.'); dot != std::string_view::npos) {
            if (ev->substatus.empty()) ev->substatus = sig.substr(dot + 1);
            if (ev->status_text.empty()) ev->status_text = sig.substr(0, dot);
          }
        }
        break;
      case 's':
        if (k == "status" || k == "activitystatusvalue") e = string_or_value(v, &ev->status_text);
        else if (k == "substatus" || k == "activitysubstatusvalue") e = string_or_value(v, &ev->substatus);
        else if (k == "subscriptionid") e = string_or_value(v, &ev->subscription);
        break;
      case 't':
        if (k == "time" || k == "timegenerated") e = string_or_value(v, &ev->time_text);
        else if (k == "tenantid") e = string_or_value(v, &ev->tenant_id);
        break;
      default: break;
    }
    if (e) {
      *why = std::string("malformed JSON: ") + simdjson::error_message(e);
      return false;
    }
  }
  if (identity_is_string) {
    *why = "not an Activity Log record (identity is a string, as in Entra ID logs)";
    return false;
  }
  if (is_legacy_category(ev->category) && !legacy_event_category.empty()) {
    ev->category = legacy_event_category;
  }
  if (ev->substatus.empty()) ev->substatus = status_code;
  if (ev->operation.empty()) {
    *why = "not an Activity Log record (no operationName)";
    return false;
  }
  if (!ev->category.empty() && !is_activity_category(ev->category)) {
    *why = "not an Activity Log record (category '" + std::string(ev->category) + "')";
    return false;
  }
  finish_event(ev, upn, name, oid);
  return true;
}

void Reader::Impl::finish_event(EventView* ev, std::string_view upn, std::string_view name,
                                std::string_view oid) {
  if (ev->caller.empty()) ev->caller = !upn.empty() ? upn : !name.empty() ? name
                                       : !ev->app_id.empty() ? ev->app_id : oid;
  if (!parse_time(ev->time_text, &ev->time)) ev->time = kNoTime;
  ev->status = parse_status(ev->status_text);
  if (!ev->resource_id.empty()) {
    ResourceParts parts = split_resource_id(ev->resource_id);
    if (ev->subscription.empty()) ev->subscription = parts.subscription;
    if (ev->resource_group.empty()) ev->resource_group = parts.resource_group;
    if (ev->provider.empty()) ev->provider = parts.provider;
    ev->resource_name = parts.name;
    if (ev->resource_type.empty() && !parts.provider.empty() && !parts.type_tail.empty()) {
      // Types alternate with names after the provider: A/x/B/y -> Provider/A/B.
      scratch_type.assign(parts.provider);
      std::string_view tail = parts.type_tail;
      bool is_type = true;
      while (!tail.empty()) {
        auto slash = tail.find('/');
        std::string_view seg = tail.substr(0, slash);
        if (is_type) {
          scratch_type += '/';
          scratch_type += seg;
        }
        is_type = !is_type;
        if (slash == std::string_view::npos) break;
        tail.remove_prefix(slash + 1);
      }
      ev->resource_type = scratch_type;
    }
  }
}

void Reader::Impl::record(std::size_t begin, std::size_t end) {
  const std::size_t capacity = text.size() - begin + input::kPadding;
  od::document doc;
  if (auto e = parser.iterate(text.data() + begin, end - begin, capacity).get(doc)) {
    skip(begin, std::string("malformed JSON: ") + simdjson::error_message(e));
    return;
  }
  od::json_type t;
  if (auto e = doc.type().get(t)) {
    skip(begin, std::string("malformed JSON: ") + simdjson::error_message(e));
    return;
  }
  if (t != od::json_type::object) {
    static constexpr const char* kNames[] = {"?", "an array", "an object", "a number", "a string",
                                             "a boolean", "null"};
    skip(begin, std::string("record is ") + kNames[static_cast<int>(t)] + ", not an object");
    return;
  }
  od::object obj;
  if (auto e = doc.get_object().get(obj)) {
    skip(begin, std::string("malformed JSON: ") + simdjson::error_message(e));
    return;
  }
  EventView ev;
  ev.offset = begin;
  ev.raw = text.substr(begin, end - begin);
  ev.source = this;
  rec_begin = begin;
  rec_end = end;
  std::string why;
  if (!map_object(obj, &ev, &why)) {
    skip(begin, why);
    return;
  }
  // On Demand parses lazily: a syntax error after the last field we read would go
  // unnoticed, so the record must have been consumed to its end.
  // current_location() fails with OUT_OF_BOUNDS once the whole document is consumed.
  const char* rest = nullptr;
  if (!doc.current_location().get(rest)) {
    skip(begin, "malformed JSON: trailing content after the record");
    return;
  }
  ++result->records;
  ++result->events;
  (*on_event)(ev);
}

void Reader::Impl::read_lines(std::size_t begin) {
  std::size_t i = begin;
  while (i < text.size()) {
    const void* nl = std::memchr(text.data() + i, '\n', text.size() - i);
    std::size_t end = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - text.data()) : text.size();
    std::size_t b = skip_ws(text, i);
    std::size_t e = end;
    while (e > b && (text[e - 1] == '\r' || text[e - 1] == ' ' || text[e - 1] == '\t')) --e;
    if (b < e) {
      if (!nl && value_end(text, b) == std::string_view::npos) {
        skip(b, "truncated record at end of input");
      } else {
        record(b, e);
      }
    }
    i = end + 1;
  }
}

void Reader::Impl::read_concatenated(std::size_t begin) {
  std::size_t i = skip_ws(text, begin);
  while (i < text.size()) {
    std::size_t end = value_end(text, i);
    if (end == std::string_view::npos) {
      skip(i, "truncated record at end of input");
      return;
    }
    record(i, end);
    i = skip_ws(text, end);
  }
}

void Reader::Impl::read_array(std::size_t open, bool top_level) {
  std::size_t i = skip_ws(text, open + 1);
  while (i < text.size()) {
    if (text[i] == ']') {
      if (!top_level) return;
      std::size_t after = skip_ws(text, i + 1);
      // PowerShell and Extractor-Suite sometimes append pages: "[...][...]" or "[...]\n[...]".
      if (after < text.size() && text[after] == '[') {
        i = skip_ws(text, after + 1);
        continue;
      }
      if (after < text.size()) issue(after, "unexpected content after the end of the array (ignored)");
      return;
    }
    std::size_t end = value_end(text, i);
    if (end == std::string_view::npos) {
      skip(i, "truncated record at end of input");
      return;
    }
    record(i, end);
    i = skip_ws(text, end);
    if (i < text.size() && text[i] == ',') i = skip_ws(text, i + 1);
  }
  issue(text.size(), "array is not closed (truncated input?)");
}

void Reader::Impl::read_envelopes(std::size_t begin) {
  // One or more top-level objects; in each, the array under records/value holds the events.
  std::size_t i = skip_ws(text, begin);
  while (i < text.size()) {
    if (text[i] != '{') {
      issue(i, "unexpected content between envelopes (ignored)");
      std::size_t end = value_end(text, i);
      if (end == std::string_view::npos || end == i) return;
      i = skip_ws(text, end);
      continue;
    }
    std::size_t j = skip_ws(text, i + 1);
    bool closed = false;
    while (j < text.size()) {
      if (text[j] == '}') {
        closed = true;
        ++j;
        break;
      }
      std::size_t key_end = detail::string_end(text, j);
      if (text[j] != '"' || key_end == std::string_view::npos) break;
      std::string_view key = text.substr(j + 1, key_end - j - 2);
      j = skip_ws(text, key_end);
      if (j >= text.size() || text[j] != ':') break;
      j = skip_ws(text, j + 1);
      std::size_t vend = value_end(text, j);
      if (vend == std::string_view::npos) {
        if ((key == "records" || key == "value") && text[j] == '[') read_array(j, false);
        else issue(j, "truncated envelope at end of input");
        return;
      }
      if ((key == "records" || key == "value") && text[j] == '[') read_array(j, false);
      j = skip_ws(text, vend);
      if (j < text.size() && text[j] == ',') j = skip_ws(text, j + 1);
    }
    if (!closed) {
      issue(j, "malformed envelope object");
      return;
    }
    i = skip_ws(text, j);
  }
}

namespace {

// Follows `path` (dot-separated, keys folded like FoldedKey) from `v`. JSON held inside a
// string value (properties.statusMessage, requestbody) is parsed in turn when the path
// continues into it.
bool follow(od::value v, std::string_view path, od::parser* parser, std::string* scratch,
            int depth, std::string* out) {
  if (path.empty()) {
    od::json_type t;
    if (v.type().get(t)) return false;
    std::string_view s;
    if (t == od::json_type::string) {
      if (v.get_string().get(s)) return false;
    } else if (t == od::json_type::null) {
      return false;
    } else if (t == od::json_type::object || t == od::json_type::array) {
      if (raw_json_of(v, t, &s)) return false;
    } else {
      s = v.raw_json_token();
      while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t')) s.remove_suffix(1);
    }
    out->assign(s);
    return true;
  }
  auto dot = path.find('.');
  std::string_view head = path.substr(0, dot);
  std::string_view rest = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
  od::json_type t;
  if (v.type().get(t)) return false;
  if (t == od::json_type::string) {
    // Descend into JSON text held in a string, at most a few levels deep.
    std::string_view s;
    if (depth > 3 || v.get_string().get(s)) return false;
    scratch->assign(s);
    scratch->append(input::kPadding, ' ');
    std::string inner_scratch;
    od::document doc;
    if (parser->iterate(scratch->data(), s.size(), scratch->size()).get(doc)) return false;
    od::value inner;
    if (doc.get_value().get(inner)) return false;
    od::parser nested;
    return follow(inner, path, &nested, &inner_scratch, depth + 1, out);
  }
  if (t != od::json_type::object) return false;
  od::object obj;
  if (v.get_object().get(obj)) return false;
  FoldedKey want(head);
  for (auto field : obj) {
    od::field f;
    if (std::move(field).get(f)) return false;
    if (FoldedKey(key_of(f)).view() == want.view()) {
      return follow(f.value(), rest, parser, scratch, depth, out);
    }
  }
  return false;
}

}  // namespace

bool Reader::Impl::raw_field(std::string_view dotted_path, std::string* out) const {
  if (rec_end <= rec_begin) return false;
  const char* at = text.data() + rec_begin;
  if (raw_doc_at == at) {
    raw_doc.rewind();
  } else {
    raw_doc_at = nullptr;
    const std::size_t capacity = text.size() - rec_begin + input::kPadding;
    if (raw_parser.iterate(at, rec_end - rec_begin, capacity).get(raw_doc)) return false;
    raw_doc_at = at;
  }
  od::value root;
  if (raw_doc.get_value().get(root)) return false;
  od::parser nested;
  return follow(root, dotted_path, &nested, &raw_scratch, 0, out);
}

Reader::Reader() : impl_(std::make_unique<Impl>()) {}
Reader::~Reader() = default;

ReadResult Reader::read(std::string_view text, const EventCallback& on_event) {
  ReadResult result;
  Impl& im = *impl_;
  im.text = text;
  im.result = &result;
  im.on_event = &on_event;
  im.line_pos = 0;
  im.line_no = 1;
  im.raw_doc_at = nullptr;  // a new buffer may reuse the old one's addresses
  result.shape = sniff_shape(text);
  const std::size_t start = skip_ws(text, 0);
  switch (result.shape) {
    case Shape::empty: break;
    case Shape::json_lines: im.read_lines(start); break;
    case Shape::single_object: im.read_concatenated(start); break;
    case Shape::json_array: im.read_array(start, true); break;
    case Shape::records_envelope:
    case Shape::value_page: im.read_envelopes(start); break;
    case Shape::la_tables:
    case Shape::la_csv:
    case Shape::unknown:
      result.fatal = true;
      im.issue(start, "unsupported content: not a recognised Activity Log export shape");
      break;
  }
  if (result.events == 0 && result.records > 0) result.activity_log = false;
  im.result = nullptr;
  im.on_event = nullptr;
  return result;
}

Shape sniff_shape(std::string_view text) {
  const std::size_t i = skip_ws(text, 0);
  if (i == text.size()) return Shape::empty;
  const char c = text[i];
  if (c == '[') return Shape::json_array;
  if (c != '{') return Shape::unknown;
  // Look at the first key: envelopes name their array first in every producer seen.
  std::size_t k = skip_ws(text, i + 1);
  if (k < text.size() && text[k] == '"') {
    std::size_t end = detail::string_end(text, k);
    if (end != std::string_view::npos) {
      std::string_view key = text.substr(k + 1, end - k - 2);
      if (key == "records") return Shape::records_envelope;
      if (key == "value" || key == "@odata.context") return Shape::value_page;
      if (key == "tables") return Shape::la_tables;
    }
  }
  // One object per line, or one (possibly pretty-printed) object or several concatenated.
  std::size_t first_end = value_end(text, i);
  if (first_end == std::string_view::npos) {
    const void* nl = std::memchr(text.data() + i, '\n', text.size() - i);
    return nl ? Shape::json_lines : Shape::single_object;
  }
  std::string_view first = text.substr(i, first_end - i);
  if (first.find('\n') == std::string_view::npos) {
    std::size_t next = skip_ws(text, first_end);
    if (next < text.size()) return Shape::json_lines;
  }
  return Shape::single_object;
}

}  // namespace azd::record
