// The reader: splits an input into records by shape and maps each record onto EventView.
//
// Every JSON shape is reduced to "a sequence of object spans" (lines, array elements, or
// the elements of an envelope's array), and each span is parsed as its own small simdjson
// On Demand document. That keeps memory flat for any file size, lets one bad record be
// reported and skipped without losing the rest, and gives every event a byte offset.
#include <simdjson.h>

#include <bit>
#include <cstring>

#include "base/text.h"
#include "input/input.h"
#include "record/json_scan.h"
#include "record/reader_impl.h"

namespace azd::record {

static_assert(input::kPadding == simdjson::SIMDJSON_PADDING, "input padding must match simdjson's");

namespace od = simdjson::ondemand;
using base::iequals;
using detail::Extras;
using detail::FoldedKey;
using detail::Key;
using detail::key_id;
using detail::key_of;
using detail::map_authorization;
using detail::map_http;
using detail::skip_ws;
using detail::string_or_value;
using detail::value_end;

namespace {

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

// Names the Azure log type a non-Activity category belongs to, so a user who gets no events
// from a file is told what the file is (formats.md §9).
std::string describe_category(std::string_view category, std::string_view resource_id) {
  struct Known {
    std::string_view category, what;
  };
  static constexpr Known kKnown[] = {
      {"NetworkSecurityGroupFlowEvent", "NSG flow log"},
      {"FlowLogFlowEvent", "VNet flow log"},
      {"AuditLogs", "Entra ID audit log"},
      {"SignInLogs", "Entra ID sign-in log"},
      {"NonInteractiveUserSignInLogs", "Entra ID sign-in log"},
      {"ServicePrincipalSignInLogs", "Entra ID sign-in log"},
      {"ManagedIdentitySignInLogs", "Entra ID sign-in log"},
      {"ProvisioningLogs", "Entra ID provisioning log"},
      {"StorageRead", "Storage resource log"},
      {"StorageWrite", "Storage resource log"},
      {"StorageDelete", "Storage resource log"},
  };
  for (const Known& k : kKnown) {
    if (iequals(category, k.category)) return std::string(k.what);
  }
  std::string what(category.substr(0, 64));
  if (iequals(category, "AuditEvent") && base::icontains(resource_id, "microsoft.keyvault")) {
    return "Key Vault AuditEvent resource log";
  }
  return "'" + what + "' resource log";
}

// Integer levels: PowerShell writes the SDK's EventLevel enum (Critical = 0 ... Verbose = 4,
// formats.md §3.f1); other producers use the Windows event convention (1 = Critical ... 5).
std::string_view level_name(std::string_view digits, bool zero_based) {
  static constexpr std::string_view kNames[] = {"Critical", "Error", "Warning", "Informational", "Verbose"};
  if (digits.size() != 1 || digits[0] < '0' || digits[0] > '5') return digits;
  int n = digits[0] - '0' - (zero_based ? 0 : 1);
  if (n < 0 || n > 4) return digits;
  return kNames[n];
}

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

std::string_view trim_token(std::string_view raw) {
  while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\n' || raw.back() == '\r' ||
                          raw.back() == '\t' || raw.back() == ','))
    raw.remove_suffix(1);
  return raw;
}

}  // namespace

namespace detail {

void map_authorization(od::object a, EventView* ev) {
  for (auto af : a) {
    od::field x;
    if (std::move(af).get(x)) return;
    const Key k = key_id(key_of(x));
    if (k == Key::action) string_or_value(x.value(), &ev->authorization_action);
    else if (k == Key::scope) string_or_value(x.value(), &ev->authorization_scope);
  }
}

void map_http(od::object h, EventView* ev) {
  for (auto hf : h) {
    od::field x;
    if (std::move(hf).get(x)) return;
    const Key k = key_id(key_of(x));
    if (k == Key::clientipaddress) {
      if (ev->caller_ip.empty()) string_or_value(x.value(), &ev->caller_ip);
    } else if (k == Key::method) {
      string_or_value(x.value(), &ev->http_method);
    }
  }
}

std::string_view key_of(od::field& f) {
  // strchr() semantics, eight bytes at a time: there are dozens of keys per record. Reading
  // past the closing quote is safe, since the document's padding follows its last key.
  const char* raw = f.key().raw();
  for (const char* p = raw;; p += 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    // The lowest flagged byte of each mask is exact, so the lowest of both is the first stop.
    const std::uint64_t stop = base::bytes_equal(w, '"') | base::bytes_equal(w, '\0');
    if (stop != 0) {
      const char* end = p + std::countr_zero(stop) / 8;
      return *end == '"' ? std::string_view(raw, static_cast<std::size_t>(end - raw)) : std::string_view();
    }
  }
}

simdjson::error_code string_or_value(od::value v, std::string_view* out, std::string_view* display) {
  od::json_type t;
  if (auto e = v.type().get(t)) return e;
  switch (t) {
    case od::json_type::string: return v.get_string().get(*out);
    case od::json_type::number:
    case od::json_type::boolean:
      *out = trim_token(v.raw_json_token());
      return simdjson::SUCCESS;
    case od::json_type::object: {
      od::object o;
      if (auto e = v.get_object().get(o)) return e;
      for (auto field : o) {
        od::field f;
        if (auto e = std::move(field).get(f)) return e;
        const Key k = key_id(key_of(f));
        if (k == Key::value) {
          if (auto e = string_or_value(f.value(), out)) return e;
        } else if (display && k == Key::localizedvalue) {
          if (auto e = string_or_value(f.value(), display)) return e;
        }
      }
      return simdjson::SUCCESS;
    }
    default: return simdjson::SUCCESS;  // null and arrays mean "absent"
  }
}

}  // namespace detail

void Reader::Impl::start_text(std::string_view t, std::uint64_t offset, std::uint64_t line) {
  text = t;
  base_offset = offset;
  base_line = line;
  line_pos = 0;
  line_no = line;
  rec_begin = rec_end = 0;
}

std::uint64_t Reader::Impl::line_of(std::uint64_t offset) const {
  return offset < base_offset ? 0 : line_at(offset - base_offset);
}

std::uint64_t Reader::Impl::line_at(std::uint64_t offset) const {
  if (offset > text.size()) offset = text.size();
  if (offset < line_pos) {
    line_pos = 0;
    line_no = base_line;
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

void Reader::Impl::issue(std::size_t offset, std::string reason) {
  ++result->issue_count;
  if (result->issues.size() < kMaxIssues) {
    result->issues.push_back({base_offset + offset, line_at(offset), std::move(reason)});
  }
}

void Reader::Impl::skip(std::size_t offset, std::string reason) {
  ++result->records;
  ++result->skipped;
  issue(offset, std::move(reason));
}

void Reader::Impl::skip_non_activity(std::size_t offset, std::string kind) {
  ++non_activity;
  if (non_activity_kind.empty()) non_activity_kind = kind;
  if (result->issues.size() < kMaxIssues) {
    skip(offset, "not an Activity Log record: " + kind);
  } else {
    // A large flow-log folder skips millions of records: count them without building reasons.
    ++result->records;
    ++result->skipped;
    ++result->issue_count;
  }
}

EventView Reader::Impl::begin_event(std::size_t begin, std::size_t end, bool is_row) {
  EventView ev;
  ev.offset = base_offset + begin;
  ev.raw = text.substr(begin, end - begin);
  ev.source = this;
  rec_begin = begin;
  rec_end = end;
  props_state = PropsCapture::absent;
  pending_count = 0;
  stopped_early = false;
  record_dialect = detail::Dialect::unknown;
  row_mode = is_row;
  return ev;
}

void Reader::Impl::reject(std::size_t offset, std::string why, std::string kind) {
  if (!kind.empty()) skip_non_activity(offset, std::move(kind));
  else skip(offset, std::move(why));
}

void Reader::Impl::deliver(EventView* ev) {
  if (!lazy) complete(ev);
  if (dialect == detail::Dialect::unknown) dialect = record_dialect;
  ++result->records;
  ++result->events;
  (*on_event)(*ev);
}

// Claims: the UPN, name and object-id claims come with their schema URI prefix; PowerShell
// wraps the dictionary in {"Content": {...}}.
void Reader::Impl::map_claims(od::object claims, EventView* ev, Extras* x) {
  for (auto field : claims) {
    od::field f;
    if (std::move(field).get(f)) return;
    std::string_view key = key_of(f);
    // Every key wanted below ends in n, e, r, d or t: most of the ~25 claims of a token are
    // passed over on their last byte.
    if (key.empty()) continue;
    switch (base::lower(key.back())) {
      case 'n': case 'e': case 'r': case 'd': case 't': break;
      default: continue;
    }
    auto slash = key.rfind('/');
    std::string_view tail = slash == std::string_view::npos ? key : key.substr(slash + 1);
    std::string_view* target = nullptr;
    if (iequals(tail, "upn")) target = &x->upn;
    else if (iequals(tail, "name") && slash != std::string_view::npos) target = &x->name;
    else if (iequals(tail, "objectidentifier") || iequals(key, "oid")) target = &x->oid;
    else if (iequals(key, "appid")) target = &ev->app_id;
    else if (iequals(key, "Content")) {
      od::object inner;
      if (!f.value().get_object().get(inner)) map_claims(inner, ev, x);
      continue;
    }
    std::string_view value;
    if (target && !f.value().get_string().get(value)) *target = value;
  }
}

void Reader::Impl::take_claims(od::value v, EventView* ev) {
  // Skipping the object only walks its structural indexes; its text is kept for complete().
  // An eager reader completes the event before delivering it (deliver()), so both modes
  // accept and reject exactly the same records, and map the claims with the same code.
  od::object obj;
  std::string_view raw;
  if (v.get_object().get(obj) || obj.raw_json().get(raw)) return;
  if (pending_count < pending_claims.size()) pending_claims[pending_count++] = raw;
  ev->pending = true;
}

void Reader::Impl::complete(EventView* ev) const {
  if (!ev->pending) return;
  ev->pending = false;
  // complete() is const only because consumers hold the reader as a const EventSource; the
  // reader itself is never const, and the walk notes the claims and properties again.
  if (stopped_early) const_cast<Impl*>(this)->complete_rest(ev);
  resolve_resource(ev);
  if (pending_count == 0) return;
  Extras x;
  const char* const text_end = text.data() + text.size() + input::kPadding;
  for (std::size_t i = 0; i < pending_count; ++i) {
    // The claims text lies inside the record, in the input, so the input's padding follows it.
    const std::string_view claims = pending_claims[i];
    const std::size_t capacity = static_cast<std::size_t>(text_end - claims.data());
    od::document doc;
    od::object obj;
    if (claims_parser[i].iterate(claims.data(), claims.size(), capacity).get(doc) || doc.get_object().get(obj)) continue;
    map_claims(obj, ev, &x);
  }
  resolve_caller(ev, x);
}

void Reader::Impl::map_properties(od::object props, EventView* ev, Extras* x, bool capture) {
  if (capture) {
    prop_fields.clear();
    props_state = PropsCapture::unknown;  // until the whole object has been walked
  }
  for (auto pf : props) {
    od::field f;
    if (std::move(pf).get(f)) return;
    const std::string_view raw_key = key_of(f);
    if (capture) prop_fields.push_back({raw_key, f.value().raw_json_token().data()});
    const Key k = key_id(raw_key);
    if (k == Key::statusmessage) {
      // Usually a JSON string; an object is kept as its JSON text.
      od::value sv = f.value();
      od::json_type t;
      if (sv.type().get(t)) return;
      if (t == od::json_type::object || t == od::json_type::array) {
        std::string_view raw;
        if (!raw_json_of(sv, t, &raw)) ev->status_message = raw;
      } else {
        string_or_value(sv, &ev->status_message);
      }
    } else if (k == Key::statuscode) {
      string_or_value(f.value(), &x->status_code);
    } else if (k == Key::eventcategory) {
      string_or_value(f.value(), &x->event_category);
    } else if (k == Key::message) {
      string_or_value(f.value(), &x->message);
    } else if (k == Key::content) {
      od::object inner;  // PowerShell: Properties.Content
      if (!f.value().get_object().get(inner)) map_properties(inner, ev, x);
    }
  }
  if (capture) props_state = PropsCapture::captured;
}

simdjson::error_code Reader::Impl::walk_fields(od::object obj, EventView* ev, Extras* x, detail::Walked* w,
                                               bool may_stop) {
  bool first_key = true;
  bool op_from_value = false;  // the operation came from an OperationNameValue key
  bool saw_time = false, saw_result = false;  // storage's `time` and `resultType` keys
  for (auto field : obj) {
    od::field f;
    if (auto e = std::move(field).get(f)) return e;
    if (w->stopped && !detail::may_be_needed_past_status(*f.key().raw())) continue;
    std::string_view raw_key = key_of(f);
    if (first_key && !raw_key.empty()) {
      w->pascal = raw_key[0] >= 'A' && raw_key[0] <= 'Z';
      first_key = false;
    }
    const Key k = key_id(raw_key);
    if (k == Key::other) continue;
    // Past the fields every event needs, the keys are still read one by one (so a record
    // whose structure breaks later is still refused, and one followed by more content is
    // still noticed), but their values are only stepped over; except a key that gives one
    // of those fields again, which wins as it does in a full walk (and in jq).
    if (w->stopped && !detail::gives_needed_field(k)) {
      if (k == Key::properties && props_state == PropsCapture::absent) note_properties(f.value());
      continue;
    }
    od::value v = f.value();
    simdjson::error_code e = simdjson::SUCCESS;
    od::object sub;
    switch (k) {
      case Key::authorization:
        if (!v.get_object().get(sub)) map_authorization(sub, ev);
        break;
      case Key::caller: e = string_or_value(v, &ev->caller); break;
      case Key::calleripaddress: e = string_or_value(v, &ev->caller_ip); break;
      case Key::correlationid: e = string_or_value(v, &ev->correlation_id); break;
      case Key::category:
      case Key::categoryvalue: e = string_or_value(v, &ev->category); break;
      case Key::claims: take_claims(v, ev); break;
      case Key::eventtimestamp:
        e = string_or_value(v, &ev->time_text);
        w->rest_keys = true;
        w->snake = raw_key.find('_') != std::string_view::npos;
        break;
      case Key::eventdataid: e = string_or_value(v, &ev->event_id); break;
      case Key::eventname: e = string_or_value(v, &ev->event_name); break;
      case Key::httprequest:
        if (!v.get_object().get(sub)) map_http(sub, ev);
        break;
      case Key::identity: {
        od::json_type t;
        if (v.type().get(t) || t != od::json_type::object) {
          x->identity_is_string = true;  // Entra audit logs write a display string here
          break;
        }
        if (v.get_object().get(sub)) break;
        for (auto idf : sub) {
          od::field y;
          if (std::move(idf).get(y)) break;
          const Key ik = key_id(key_of(y));
          od::object inner;
          if (ik == Key::claims) {
            take_claims(y.value(), ev);
          } else if (ik == Key::authorization) {
            if (!y.value().get_object().get(inner)) map_authorization(inner, ev);
          }
        }
        break;
      }
      case Key::level: e = string_or_value(v, &ev->level); break;
      case Key::operationname:
        if (!op_from_value) {
          e = string_or_value(v, &ev->operation, &ev->operation_display);
        } else if (ev->operation_display.empty()) {
          e = string_or_value(v, &ev->operation_display);  // Log Analytics: the display name
        }
        break;
      case Key::operationnamevalue:
        // Log Analytics rows written as JSON objects (`az monitor log-analytics query`) carry
        // both: OperationNameValue is the operation, the legacy OperationName column only its
        // display name, and which comes first depends on the query's columns.
        if (!op_from_value && ev->operation_display.empty()) ev->operation_display = ev->operation;
        e = string_or_value(v, &ev->operation, &ev->operation_display);
        op_from_value = true;
        break;
      case Key::operationid: e = string_or_value(v, &ev->operation_id); break;
      case Key::properties: {
        // raw_field() follows the first `properties` key, so only that one is captured.
        const bool first = props_state == PropsCapture::absent;
        if (!v.get_object().get(sub)) map_properties(sub, ev, x, first);
        else if (first) props_state = PropsCapture::unknown;
        break;
      }
      case Key::resourceid:
      case Key::resourceuri: e = string_or_value(v, &ev->resource_id); break;
      case Key::resourcegroupname:
      case Key::resourcegroup: e = string_or_value(v, &ev->resource_group); break;
      case Key::resourceprovidername:
      case Key::resourceprovidervalue: e = string_or_value(v, &ev->provider); break;
      case Key::resourcetype: e = string_or_value(v, &ev->resource_type); break;
      case Key::resulttype:
        w->storage_keys = true;
        saw_result = true;
        if (ev->status_text.empty()) e = string_or_value(v, &ev->status_text);
        break;
      case Key::resultsignature: {
        std::string_view sig;
        e = string_or_value(v, &sig);
        if (auto dot = sig.find('.'); dot != std::string_view::npos) {
          if (ev->substatus.empty()) ev->substatus = sig.substr(dot + 1);
          if (ev->status_text.empty()) ev->status_text = sig.substr(0, dot);
        }
        break;
      }
      case Key::status:
      case Key::activitystatusvalue: e = string_or_value(v, &ev->status_text); break;
      case Key::substatus:
      case Key::activitysubstatusvalue: e = string_or_value(v, &ev->substatus); break;
      case Key::subscriptionid: e = string_or_value(v, &ev->subscription); break;
      case Key::time:
      case Key::timegenerated:
        e = string_or_value(v, &ev->time_text);
        w->storage_keys = true;
        saw_time = saw_time || k == Key::time;
        break;
      case Key::tenantid: e = string_or_value(v, &ev->tenant_id); break;
      default: break;
    }
    if (e) return e;
    // A storage record (`time` and `resultType`; Log Analytics rows have TimeGenerated) has
    // given what every event needs once its time, operation, status and an Activity Log
    // category (not a legacy one, which the properties resolve) are read: nothing else
    // decides whether it is an event or which rules look at it. Storage exports write those
    // first, before the token claims and properties that are most of the record, and most
    // events are never looked at again; complete() reads the rest for those that are.
    // Another log's record is read whole, to be described.
    if (may_stop && saw_time && saw_result && !ev->time_text.empty() && !ev->operation.empty() &&
        !ev->status_text.empty() && is_activity_category(ev->category) && !is_legacy_category(ev->category)) {
      w->stopped = true;
    }
  }
  return simdjson::SUCCESS;
}

bool Reader::Impl::map_object(od::object obj, EventView* ev, std::string* why, std::string* kind) {
  Extras x;
  detail::Walked w;
  if (auto e = walk_fields(obj, ev, &x, &w, true)) {
    *why = std::string("malformed JSON: ") + simdjson::error_message(e);
    return false;
  }
  ev->level = level_name(ev->level, w.pascal && w.rest_keys);
  if (!complete_event(ev, x, why, kind)) return false;
  stopped_early = w.stopped;
  if (w.stopped) ev->pending = true;
  // Taken for the input only once the record is delivered (deliver()): a record that is
  // skipped later (trailing content) must not name the input's dialect.
  record_dialect = w.rest_keys ? (w.snake ? detail::Dialect::sdk : w.pascal ? detail::Dialect::powershell : detail::Dialect::rest)
                   : w.storage_keys ? detail::Dialect::storage
                                    : detail::Dialect::unknown;
  return true;
}

void Reader::Impl::complete_rest(EventView* ev) {
  EventView full;
  Extras x;
  detail::Walked w;
  const detail::Dialect dialect_seen = record_dialect;
  pending_count = 0;
  props_state = PropsCapture::absent;
  od::document doc;
  od::object obj;
  const std::size_t capacity = text.size() - rec_begin + input::kPadding;
  simdjson::error_code e = rest_parser.iterate(text.data() + rec_begin, rec_end - rec_begin, capacity).get(doc);
  if (!e) e = doc.get_object().get(obj);
  // The first walk refused the record only for what it read. A value broken further on
  // stops this walk there: the fields after it stay empty, and the event stays an event.
  if (!e) e = walk_fields(obj, &full, &x, &w, false);
  if (e && props_state != PropsCapture::captured) props_state = PropsCapture::unknown;
  record_dialect = dialect_seen;
  full.level = level_name(full.level, w.pascal && w.rest_keys);
  if (full.substatus.empty()) full.substatus = x.status_code;
  // The first walk read these to their last occurrence too, and parsed the time and status.
  full.time = ev->time;
  full.time_text = ev->time_text;
  full.status = ev->status;
  full.status_text = ev->status_text;
  full.operation = ev->operation;
  full.operation_display = ev->operation_display;
  full.category = ev->category;
  full.event_id = ev->event_id;
  full.raw = ev->raw;
  full.offset = ev->offset;
  full.source = ev->source;
  full.pending = false;  // complete() goes on with the claims and the resource id's parts
  *ev = full;
}

bool Reader::Impl::complete_event(EventView* ev, const Extras& x, std::string* why, std::string* kind) {
  (void)why;
  if (is_legacy_category(ev->category) && !x.event_category.empty()) ev->category = x.event_category;
  if (!ev->category.empty() && !is_activity_category(ev->category)) {
    *kind = describe_category(ev->category, ev->resource_id);
    return false;
  }
  if (x.identity_is_string) {
    *kind = "Entra ID log (identity is a string)";
    return false;
  }
  if (ev->operation.empty()) {
    *kind = "a record without an operation name";
    return false;
  }
  if (ev->substatus.empty()) ev->substatus = x.status_code;
  finish_event(ev, x);
  return true;
}

void Reader::Impl::resolve_caller(EventView* ev, const Extras& x) {
  if (ev->caller.empty()) ev->caller = !x.upn.empty() ? x.upn : !x.name.empty() ? x.name
                                       : !ev->app_id.empty() ? ev->app_id : x.oid;
}

void Reader::Impl::finish_event(EventView* ev, const Extras& x) {
  resolve_caller(ev, x);
  if (!parse_time(ev->time_text, &ev->time)) ev->time = kNoTime;
  ev->status = parse_status(ev->status_text);
  // Splitting the resource id is left for complete() too: only the rules an event's
  // operation selects, and evidence, read its parts.
  if (!ev->resource_id.empty()) ev->pending = true;
}

void Reader::Impl::resolve_resource(EventView* ev) const {
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
  if (!envelope_kind.empty()) {
    skip_non_activity(begin, envelope_kind);
    return;
  }
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
  EventView ev = begin_event(begin, end, false);
  std::string why, kind;
  if (!map_object(obj, &ev, &why, &kind)) {
    reject(begin, std::move(why), std::move(kind));
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
  deliver(&ev);
}

void Reader::Impl::read_lines(std::size_t begin, const std::vector<std::uint32_t>* newlines) {
  // Every newline found in one pass (a memchr per record cost more than the pass): offsets
  // fit 32 bits below 4 GiB, and a larger text, read whole, takes memchr.
  const bool indexed = text.size() <= UINT32_MAX;
  if (indexed && !newlines) {
    newline_scratch.clear();
    base::find_all(text, '\n', &newline_scratch);
    newlines = &newline_scratch;
  }
  auto next_nl = indexed ? std::lower_bound(newlines->begin(), newlines->end(), begin) : std::vector<std::uint32_t>::const_iterator{};
  std::size_t i = begin;
  while (i < text.size()) {
    bool nl;
    std::size_t end;
    if (indexed) {
      nl = next_nl != newlines->end();
      end = nl ? *next_nl++ : text.size();
    } else {
      const void* p = std::memchr(text.data() + i, '\n', text.size() - i);
      nl = p != nullptr;
      end = nl ? static_cast<std::size_t>(static_cast<const char*>(p) - text.data()) : text.size();
    }
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

std::size_t Reader::Impl::start_walk(Shape shape, std::size_t start) {
  walk_in_envelope = false;
  switch (shape) {
    case Shape::json_array:
      walk_state = Walk::items;
      return start + 1;  // after the '['
    case Shape::records_envelope:
    case Shape::value_page: walk_state = Walk::envelope; break;
    case Shape::single_object: walk_state = Walk::values; break;
    default: walk_state = Walk::done; break;
  }
  return start;
}

bool Reader::Impl::whole_value(std::size_t i, bool at_end, std::size_t* end) const {
  *end = value_end(text, i);
  return *end != std::string_view::npos && (at_end || *end < text.size());
}

std::size_t Reader::Impl::stop_walk(std::size_t offset, std::string reason, bool skipped) {
  if (skipped) skip(offset, std::move(reason));
  else if (!reason.empty()) issue(offset, std::move(reason));
  walk_state = Walk::done;
  return text.size();
}

std::size_t Reader::Impl::walk(std::size_t i, bool at_end) {
  const std::size_t n = text.size();
  static constexpr const char* kNotClosed = "array is not closed (truncated input?)";
  static constexpr const char* kTruncated = "truncated record at end of input";
  static constexpr const char* kMalformedEnvelope = "malformed envelope object";
  for (;;) {
    switch (walk_state) {
      case Walk::done: return n;

      case Walk::values: {
        i = skip_ws(text, i);
        if (i == n) return n;
        std::size_t end;
        if (!whole_value(i, at_end, &end)) return at_end ? stop_walk(i, kTruncated, true) : i;
        record(i, end);
        i = end;
        break;
      }

      case Walk::items: {
        i = skip_ws(text, i);
        if (i == n) return at_end ? stop_walk(n, kNotClosed) : i;
        if (text[i] == ']') {
          ++i;
          walk_state = walk_in_envelope ? Walk::envelope_comma : Walk::array_closed;
          break;
        }
        std::size_t end;
        if (!whole_value(i, at_end, &end)) return at_end ? stop_walk(i, kTruncated, true) : i;
        record(i, end);
        i = end;
        walk_state = Walk::item_comma;
        break;
      }

      case Walk::item_comma:
      case Walk::envelope_comma: {
        const bool in_array = walk_state == Walk::item_comma;
        i = skip_ws(text, i);
        if (i == n) return at_end ? stop_walk(n, in_array ? kNotClosed : kMalformedEnvelope) : i;
        if (text[i] == ',') ++i;
        walk_state = in_array ? Walk::items : Walk::envelope_key;
        break;
      }

      case Walk::array_closed:
        // PowerShell and Extractor-Suite sometimes append pages: "[...][...]" or "[...]\n[...]".
        i = skip_ws(text, i);
        if (i == n) return n;
        if (text[i] != '[') return stop_walk(i, "unexpected content after the end of the array (ignored)");
        ++i;
        walk_state = Walk::items;
        break;

      case Walk::envelope: {
        // One or more top-level objects; in each, the array under records/value holds the events.
        i = skip_ws(text, i);
        if (i == n) return n;
        if (text[i] == '{') {
          envelope_kind.clear();
          ++i;
          walk_state = Walk::envelope_key;
          break;
        }
        static constexpr const char* kStray = "unexpected content between envelopes (ignored)";
        std::size_t end;
        if (!whole_value(i, at_end, &end)) return at_end ? stop_walk(i, kStray) : i;
        issue(i, kStray);
        i = end;
        break;
      }

      case Walk::envelope_key: {
        // Nothing of a key and its value is consumed until the value is whole (or is the
        // events array, which is walked record by record).
        const std::size_t j = skip_ws(text, i);
        if (j == n) return at_end ? stop_walk(n, kMalformedEnvelope) : j;
        if (text[j] == '}') {
          if (!envelope_kind.empty() && non_activity_kind.empty()) non_activity_kind = envelope_kind;
          i = j + 1;
          walk_state = Walk::envelope;
          break;
        }
        if (text[j] != '"') return stop_walk(j, kMalformedEnvelope);
        const std::size_t key_end = detail::string_end(text, j);
        if (key_end == std::string_view::npos) return at_end ? stop_walk(j, kMalformedEnvelope) : j;
        std::size_t k = skip_ws(text, key_end);
        if (k == n) return at_end ? stop_walk(n, kMalformedEnvelope) : j;
        if (text[k] != ':') return stop_walk(k, kMalformedEnvelope);
        k = skip_ws(text, k + 1);
        const std::string_view key = text.substr(j + 1, key_end - j - 2);
        if ((key == "records" || key == "value") && k < n && text[k] == '[') {
          walk_in_envelope = true;
          walk_state = Walk::items;
          i = k + 1;
          break;
        }
        std::size_t vend;
        if (!whole_value(k, at_end, &vend)) return at_end ? stop_walk(k, "truncated envelope at end of input") : j;
        if (key == "@odata.context") {
          // Microsoft Graph pages share the REST envelope but never hold Activity Log events.
          std::string_view ctx = text.substr(k, vend - k);
          auto hash = ctx.find('#');
          ctx = hash == std::string_view::npos ? std::string_view() : ctx.substr(hash + 1, 60);
          if (!ctx.empty() && ctx.back() == '"') ctx.remove_suffix(1);
          envelope_kind = "Microsoft Graph page";
          if (!ctx.empty()) envelope_kind += " (" + std::string(ctx) + ")";
        }
        i = vend;
        walk_state = Walk::envelope_comma;
        break;
      }
    }
  }
}

namespace detail {

bool follow_in_text(std::string_view json, std::string_view path, od::parser* parser, std::string* scratch,
                    int depth, std::string* out) {
  if (path.empty()) {
    out->assign(json);
    return true;
  }
  scratch->assign(json);
  scratch->append(input::kPadding, ' ');
  od::document doc;
  if (parser->iterate(scratch->data(), json.size(), scratch->size()).get(doc)) return false;
  od::value inner;
  if (doc.get_value().get(inner)) return false;
  od::parser nested;
  std::string inner_scratch;
  return follow(inner, path, &nested, &inner_scratch, depth, out);
}

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
    return follow_in_text(s, path, parser, scratch, depth + 1, out);
  }
  if (t != od::json_type::object) return false;
  od::object obj;
  if (v.get_object().get(obj)) return false;
  const FoldedKey want(head);
  for (auto field : obj) {
    od::field f;
    if (std::move(field).get(f)) return false;
    if (same_folded(key_of(f), want.view())) return follow(f.value(), rest, parser, scratch, depth, out);
  }
  return false;
}

}  // namespace detail

void Reader::Impl::note_properties(od::value v) {
  od::object obj;
  std::string_view raw;
  if (v.get_object().get(obj) || obj.raw_json().get(raw)) {
    props_state = PropsCapture::unknown;
    return;
  }
  props_text = raw;
  props_state = PropsCapture::spanned;
}

void Reader::Impl::capture_properties() const {
  props_state = PropsCapture::unknown;
  prop_fields.clear();
  // The object lies in the input, so the input's padding follows it, and the keys and
  // values noted point into the input as a capture during the walk does.
  const std::size_t capacity = text.size() - static_cast<std::size_t>(props_text.data() - text.data()) + input::kPadding;
  od::document doc;
  od::object obj;
  if (raw_parser.iterate(props_text.data(), props_text.size(), capacity).get(doc) || doc.get_object().get(obj)) return;
  for (auto pf : obj) {
    od::field f;
    if (std::move(pf).get(f)) return;
    prop_fields.push_back({key_of(f), f.value().raw_json_token().data()});
  }
  props_state = PropsCapture::captured;
}

bool Reader::Impl::captured_raw_field(std::string_view dotted_path, std::string* out, bool* answered) const {
  *answered = false;
  if (!raw_shortcut) return false;
  if (props_state == PropsCapture::spanned) capture_properties();
  if (props_state == PropsCapture::unknown) return false;
  const auto dot = dotted_path.find('.');
  if (dot == std::string_view::npos || !detail::same_folded(dotted_path.substr(0, dot), "properties")) return false;
  std::string_view rest = dotted_path.substr(dot + 1);
  const auto dot2 = rest.find('.');
  const FoldedKey want(rest.substr(0, dot2));
  rest = dot2 == std::string_view::npos ? std::string_view() : rest.substr(dot2 + 1);
  if (props_state == PropsCapture::absent) {
    *answered = true;
    return false;
  }
  const PropField* found = nullptr;
  for (const PropField& p : prop_fields) {
    if (detail::same_folded(p.key, want.view())) {
      found = &p;
      break;
    }
  }
  if (!found) {
    *answered = true;
    return false;
  }
  // Parse just the value: a string (a JSON body held as text) or an object/array.
  const std::size_t at = static_cast<std::size_t>(found->value - text.data());
  const char first = text[at];
  if (first != '"' && first != '{' && first != '[') return false;  // scalars: the full parse
  const std::size_t end = value_end(text, at);
  if (end == std::string_view::npos || end > rec_end) return false;
  *answered = true;
  const std::size_t capacity = text.size() - at + input::kPadding;
  od::document doc;
  if (raw_parser.iterate(text.data() + at, end - at, capacity).get(doc)) return false;
  od::parser nested;
  if (first == '"') {
    // As follow() does with a string: the string itself, or the JSON inside it.
    std::string_view s;
    if (doc.get_string().get(s)) return false;
    return detail::follow_in_text(s, rest, &nested, &raw_scratch, 1, out);
  }
  od::value v;
  if (doc.get_value().get(v)) return false;
  return detail::follow(v, rest, &nested, &raw_scratch, 0, out);
}

bool Reader::Impl::raw_field(std::string_view dotted_path, std::string* out) const {
  if (row_mode) return row_raw_field(dotted_path, out);
  if (rec_end <= rec_begin) return false;
  bool answered = false;
  const bool found = captured_raw_field(dotted_path, out, &answered);
  if (answered) return found;
  const char* at = text.data() + rec_begin;
  od::document doc;
  const std::size_t capacity = text.size() - rec_begin + input::kPadding;
  if (raw_parser.iterate(at, rec_end - rec_begin, capacity).get(doc)) return false;
  od::value root;
  if (doc.get_value().get(root)) return false;
  od::parser nested;
  return detail::follow(root, dotted_path, &nested, &raw_scratch, 0, out);
}

Reader::Reader() : impl_(std::make_unique<Impl>()) {}
void Reader::set_raw_field_shortcut(bool on) { impl_->raw_shortcut = on; }
void Reader::set_lazy(bool on) { impl_->lazy = on; }
Reader::~Reader() = default;

namespace {

std::string_view dialect_detail(detail::Dialect d) {
  switch (d) {
    case detail::Dialect::storage: return "storage / Event Hub records (time, resultType, identity)";
    case detail::Dialect::rest: return "REST / az CLI events (camelCase)";
    case detail::Dialect::powershell: return "PowerShell Get-AzActivityLog events (PascalCase)";
    case detail::Dialect::sdk: return "Azure SDK as_dict() events (snake_case)";
    case detail::Dialect::unknown: break;
  }
  return "";
}

}  // namespace

void Reader::Impl::begin_read(ReadResult* r, const EventCallback* cb) {
  result = r;
  on_event = cb;
  dialect = detail::Dialect::unknown;
  non_activity = 0;
  non_activity_kind.clear();
  envelope_kind.clear();
  row_mode = false;
  legacy_layout = false;
}

void Reader::Impl::finish_read() {
  ReadResult& r = *result;
  if (r.shape == Shape::la_csv || r.shape == Shape::la_tables) {
    r.detail = r.shape == Shape::la_csv ? "Log Analytics AzureActivity CSV export"
                                        : "Log Analytics query API AzureActivity rows";
    if (legacy_layout) r.detail += " (legacy columns: operation from Properties.message / Authorization.action)";
  } else if (r.events > 0) {
    r.detail = std::string(dialect_detail(dialect));
  }
  if (r.events == 0 && non_activity > 0) {
    r.activity_log = false;
    r.detail = non_activity_kind + ", not an Activity Log";
  }
  result = nullptr;
  on_event = nullptr;
  row_mode = false;
}

ReadResult Reader::read(std::string_view text, const EventCallback& on_event) {
  ReadResult result;
  Impl& im = *impl_;
  im.begin_read(&result, &on_event);
  im.start_text(text, 0, 1);
  const detail::Sniffed sniffed = detail::sniff(text);
  result.shape = sniffed.shape;
  const std::size_t start = sniffed.start;
  switch (result.shape) {
    case Shape::empty: break;
    case Shape::json_lines: im.read_lines(start); break;
    case Shape::single_object:
    case Shape::json_array:
    case Shape::records_envelope:
    case Shape::value_page: im.walk(im.start_walk(result.shape, start), true); break;
    case Shape::la_tables: im.read_tables(start); break;
    case Shape::la_csv: im.read_csv(start); break;
    case Shape::unknown:
      // Not an export at all (a README, a binary): said clearly, never counted as events.
      result.activity_log = false;
      result.detail = "not an Activity Log export: " + std::string(sniffed.why);
      break;
  }
  im.finish_read();
  return result;
}

bool lines_streamable(std::string_view head, std::size_t* start) {
  // Beyond doubt: the first record ends inside the window and a newline follows it, and the
  // sniffer's decision did not depend on where the window ends (Sniffed::settled: its key
  // walk can run past a first object that closes early, into keys that make the whole text
  // an envelope). Anything less is read whole, where the sniffer sees all of it.
  const detail::Sniffed sniffed = detail::sniff(head);
  *start = sniffed.start;
  return sniffed.shape == Shape::json_lines && sniffed.settled &&
         value_end(head, sniffed.start) != std::string_view::npos && head.find('\n', sniffed.start) != std::string_view::npos;
}

ReadResult Reader::read_lines_block(std::string_view block, std::uint64_t offset, std::uint64_t line,
                                    std::size_t start, const EventCallback& on_event,
                                    const std::vector<std::uint32_t>* newlines) {
  ReadResult result;
  Impl& im = *impl_;
  im.begin_read(&result, &on_event);
  im.start_text(block, offset, line);
  result.shape = Shape::json_lines;
  im.read_lines(start, block.size() <= UINT32_MAX ? newlines : nullptr);
  im.finish_read();
  return result;
}

namespace {

// Whether an input whose first window is `head` is an array, an envelope or concatenated
// objects beyond doubt, so the walker can read it window by window; *start receives the
// offset of its first byte and *shape the shape. (Log Analytics tables are read whole.)
bool walk_streamable(std::string_view head, std::size_t* start, Shape* shape) {
  const detail::Sniffed sniffed = detail::sniff(head);
  *start = sniffed.start;
  *shape = sniffed.shape;
  switch (sniffed.shape) {
    case Shape::json_array:
    case Shape::records_envelope:
    case Shape::value_page:
    case Shape::single_object: return sniffed.settled;
    default: return false;
  }
}

}  // namespace

ReadResult Reader::read_stream(input::Stream& in, const EventCallback& on_event) {
  std::size_t start = 0;
  Shape shape = Shape::unknown;
  std::string err;
  if (in.line_readable() && lines_streamable(in.head(), &start)) {
    std::vector<ReadResult> parts;
    std::uint64_t offset = 0, line = 1;
    std::vector<std::uint32_t> newlines;
    for (;;) {
      std::string_view block;
      if (!in.next_lines(&block, &err)) {
        parts.push_back(stream_failure(offset, line, err));
        break;
      }
      if (block.empty()) break;
      const std::uint64_t newline_count = base::find_newlines(block, &newlines);
      parts.push_back(read_lines_block(block, offset, line, start, on_event, &newlines));
      start = 0;
      offset += block.size();
      line += newline_count;
    }
    return merge_results(std::move(parts));
  }
  if (in.line_readable() && walk_streamable(in.head(), &start, &shape)) {
    return impl_->walk_stream(in, shape, start, on_event);
  }
  input::Buffer whole;
  if (in.take_all(&whole, &err)) return read(whole.text(), on_event);
  ReadResult failed;
  failed.fatal = true;
  failed.issue_count = 1;
  failed.issues.push_back({0, 0, err + "; the input was not scanned"});
  return failed;
}

ReadResult Reader::Impl::walk_stream(input::Stream& in, Shape shape, std::size_t start,
                                     const EventCallback& callback) {
  ReadResult read;
  begin_read(&read, &callback);
  read.shape = shape;
  std::size_t from = start_walk(shape, start), consumed = 0;
  std::uint64_t offset = 0, line = 1;
  std::string err;
  bool failed = false;
  for (;;) {
    std::string_view window;
    bool at_end = false;
    if (!in.next_window(consumed, &window, &at_end, &err)) {
      failed = true;
      break;
    }
    // Offsets and lines inside the reader are window-relative; these place the window.
    start_text(window, offset, line);
    consumed = walk(from, at_end);
    from = 0;
    offset += consumed;
    line += base::count_byte(window.substr(0, consumed), '\n');
    if (at_end) break;
  }
  finish_read();
  if (!failed) return read;
  std::vector<ReadResult> parts;
  parts.push_back(std::move(read));
  parts.push_back(stream_failure(offset, line, err, shape));
  return merge_results(std::move(parts));
}

ReadResult stream_failure(std::uint64_t offset, std::uint64_t line, const std::string& err, Shape shape) {
  ReadResult r;
  r.shape = shape;
  r.fatal = true;
  r.issue_count = 1;
  // What was read before stands; the rest of the input is missing, and said so.
  const char* kept = shape == Shape::json_lines ? "; the lines before it were scanned" : "; the records before it were scanned";
  r.issues.push_back({offset, line, err + (offset > 0 ? kept : "")});
  return r;
}

ReadResult merge_results(std::vector<ReadResult> parts) {
  ReadResult all;
  all.shape = parts.empty() ? Shape::empty : parts.front().shape;
  const ReadResult* first_events = nullptr;
  const ReadResult* first_other_log = nullptr;
  for (ReadResult& p : parts) {
    all.records += p.records;
    all.events += p.events;
    all.skipped += p.skipped;
    all.issue_count += p.issue_count;
    all.fatal = all.fatal || p.fatal;
    for (ReadIssue& i : p.issues) {
      if (all.issues.size() < kMaxIssues) all.issues.push_back(std::move(i));
    }
    // The whole read names the dialect of its first event that has one.
    if (!first_events && p.events > 0 && !p.detail.empty()) first_events = &p;
    if (!first_other_log && !p.activity_log) first_other_log = &p;
  }
  if (first_events) {
    all.detail = first_events->detail;
  } else if (all.events == 0 && first_other_log) {
    all.activity_log = false;
    all.detail = first_other_log->detail;
  }
  return all;
}

Shape sniff_shape(std::string_view text) { return detail::sniff(text).shape; }

namespace detail {
namespace {

// Keys that only an event record (not an envelope) starts with.
bool is_envelope_key(std::string_view key, Shape* shape) {
  if (key == "records") *shape = Shape::records_envelope;
  else if (key == "value" || key == "@odata.context" || key == "nextLink" || key == "@odata.nextLink") *shape = Shape::value_page;
  else if (key == "tables") *shape = Shape::la_tables;
  else return false;
  return true;
}

// Looks at the top-level keys of the object at `i` (at most a few dozen, skipping small
// values) to tell an envelope from an event. *settled becomes false when the answer
// depended on where the text ends (a longer text, of which this is the head, may differ).
Shape object_shape(std::string_view text, std::size_t i, bool* settled) {
  const std::size_t size = text.size();
  std::size_t k = skip_ws(text, i + 1);
  int n = 0;
  for (; n < 64 && k < size && text[k] == '"'; ++n) {
    std::size_t end = string_end(text, k);
    if (end == std::string_view::npos) {
      k = size;  // cut by the end of the text
      break;
    }
    Shape shape;
    if (is_envelope_key(text.substr(k + 1, end - k - 2), &shape)) return shape;
    k = skip_ws(text, end);
    if (k >= size || text[k] != ':') break;
    k = skip_ws(text, k + 1);
    std::size_t vend = value_end(text, k);
    if (vend != std::string_view::npos && vend - k > 4096) break;  // keep sniffing cheap
    if (vend == std::string_view::npos) {
      k = size;
      break;
    }
    k = skip_ws(text, vend);
    if (k < size && text[k] == ',') k = skip_ws(text, k + 1);
  }
  // The key loop stops on what it saw (too many keys, something not a key, a long value),
  // or on the end of the text (k == size).
  *settled = n == 64 || k < size;
  // One object per line, or one (possibly pretty-printed) object or several concatenated.
  std::size_t first_end = value_end(text, i);
  if (first_end == std::string_view::npos) {
    *settled = false;
    const void* nl = std::memchr(text.data() + i, '\n', size - i);
    return nl ? Shape::json_lines : Shape::single_object;
  }
  if (text.substr(i, first_end - i).find('\n') == std::string_view::npos) {
    std::size_t next = skip_ws(text, first_end);
    if (next < size) return Shape::json_lines;
    *settled = false;
  }
  return Shape::single_object;
}

std::string_view first_line(std::string_view text, std::size_t i) {
  std::size_t nl = text.find('\n', i);
  std::string_view line = text.substr(i, nl == std::string_view::npos ? std::string_view::npos : nl - i);
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
  return line;
}

// A header that names at least two AzureActivity columns (either layout).
bool is_activity_csv_header(std::string_view line) {
  if (line.find(',') == std::string_view::npos) return false;
  int known = 0;
  std::size_t i = 0;
  while (i <= line.size() && known < 2) {
    std::size_t comma = line.find(',', i);
    std::string_view name = line.substr(i, comma == std::string_view::npos ? std::string_view::npos : comma - i);
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"') name = name.substr(1, name.size() - 2);
    const Role r = column_role(name);
    if (r != kRoleCount && r != kTable && r != kType) ++known;
    if (comma == std::string_view::npos) break;
    i = comma + 1;
  }
  return known >= 2;
}

}  // namespace

Sniffed sniff(std::string_view text) {
  Sniffed s;
  s.start = skip_ws(text, 0);
  if (s.start == text.size()) {
    s.shape = Shape::empty;
    return s;
  }
  const char c = text[s.start];
  if (c == '[') {
    s.shape = Shape::json_array;
    return s;
  }
  if (c == '{') {
    s.shape = object_shape(text, s.start, &s.settled);
    return s;
  }
  const std::string_view line = first_line(text, s.start);
  // A record pasted from a viewer can carry a stray word on its own first line ("Content").
  bool word = !line.empty() && line.size() <= 32;
  for (char ch : line) word = word && ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z'));
  if (word) {
    const std::size_t next = skip_ws(text, s.start + line.size());
    if (next < text.size() && (text[next] == '{' || text[next] == '[')) {
      Sniffed inner = sniff(text.substr(next));
      inner.start += next;
      return inner;
    }
  }
  if (base::istarts_with(line, "#TYPE ")) {
    s.why = "PowerShell Export-Csv output (nested fields are flattened to type names; export with ConvertTo-Json instead)";
    return s;
  }
  if (is_activity_csv_header(line)) {
    s.shape = Shape::la_csv;
    return s;
  }
  if (line.find(',') != std::string_view::npos) {
    s.why = "CSV whose header names no Activity Log columns";
  } else {
    s.why = "neither JSON nor CSV (plain text?)";
  }
  return s;
}

}  // namespace detail

}  // namespace azd::record
