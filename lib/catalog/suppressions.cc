// The suppressions file: JSON parsing and shape checks. It lives in catalog/ because catalog
// owns azdetect's JSON data-file formats (and simdjson may not leave record/ and catalog/);
// what an entry means for a finding is decided in control/.
#include <simdjson.h>

#include "catalog/catalog.h"

namespace azd::catalog {
namespace {

namespace dom = simdjson::dom;

// A string, or a non-empty array of non-empty strings.
bool read_strings(dom::element e, std::vector<std::string>* out) {
  std::string_view s;
  if (!e.get_string().get(s)) {
    if (s.empty()) return false;
    out->emplace_back(s);
    return true;
  }
  dom::array a;
  if (e.get_array().get(a) || a.size() == 0) return false;
  for (dom::element x : a) {
    if (x.get_string().get(s) || s.empty()) return false;
    out->emplace_back(s);
  }
  return true;
}

bool read_string(dom::element e, std::string* out) {
  std::string_view s;
  if (e.get_string().get(s) || s.empty()) return false;
  out->assign(s);
  return true;
}

void parse_entry(dom::element e, const std::string& where, std::string_view origin, Suppression* out,
                 std::vector<LintError>* errors) {
  auto fail = [&](const std::string& field, const std::string& message) {
    errors->push_back({std::string(origin), field, message});
  };
  out->where = where;
  dom::object o;
  if (e.get_object().get(o)) {
    fail(where, "an entry must be an object with rule, reason and matchers");
    return;
  }
  struct List {
    std::string_view key;
    std::vector<std::string>* values;
  };
  const List lists[] = {{"caller", &out->callers},          {"app_id", &out->app_ids},
                        {"caller_ip", &out->caller_ips},     {"resource_group", &out->resource_groups},
                        {"resource_id", &out->resource_ids}};
  bool has_rule = false, has_reason = false;
  for (auto [key, value] : o) {
    const std::string at = where + "." + std::string(key);
    if (key == "rule") {
      has_rule = true;
      if (!read_string(value, &out->rule)) fail(at, "must be a rule id or glob such as \"AZD-002\" or \"AZD-0*\"");
    } else if (key == "reason") {
      has_reason = true;
      if (!read_string(value, &out->reason)) fail(at, "must be a non-empty string saying why these findings are expected");
    } else if (key == "expires") {
      if (!read_string(value, &out->expires)) fail(at, "must be a date such as \"2026-12-31\"");
    } else {
      bool known = false;
      for (const List& l : lists) {
        if (key != l.key) continue;
        known = true;
        if (!read_strings(value, l.values)) fail(at, "must be a non-empty string or a non-empty array of them");
      }
      if (!known) {
        fail(at, "unknown member (expected rule, reason, expires, caller, app_id, caller_ip, resource_group, resource_id)");
      }
    }
  }
  if (!has_rule) fail(where + ".rule", "is required (a rule id or glob; \"*\" for every rule)");
  if (!has_reason) fail(where + ".reason", "is required: say why these findings are expected");
}

}  // namespace

bool parse_suppressions(std::string_view origin, std::string_view json, std::vector<Suppression>* out,
                        std::vector<LintError>* errors) {
  const std::size_t before = errors->size();
  auto fail = [&](const std::string& field, const std::string& message) {
    errors->push_back({std::string(origin), field, message});
  };
  dom::parser parser;
  dom::element root;
  simdjson::padded_string padded(json);
  if (auto e = parser.parse(padded).get(root)) {
    fail("", std::string("not valid JSON: ") + simdjson::error_message(e));
    return false;
  }
  dom::object r;
  if (root.get_object().get(r)) {
    fail("", "a suppressions file holds one JSON object");
    return false;
  }
  dom::element v;
  std::int64_t version = 0;
  if (r["azdetect_suppressions"].get(v) || v.get_int64().get(version) || version != kSuppressionsVersion) {
    fail("azdetect_suppressions", "must be " + std::to_string(kSuppressionsVersion) + " (the file format version)");
  }
  for (auto [key, value] : r) {
    if (key != "azdetect_suppressions" && key != "suppressions") fail(std::string(key), "unknown member");
  }
  dom::array entries;
  if (r["suppressions"].get(v) || v.get_array().get(entries)) {
    fail("suppressions", "is required: an array of entries");
    return false;
  }
  std::size_t i = 0;
  for (dom::element e : entries) {
    Suppression s;
    parse_entry(e, "suppressions[" + std::to_string(i++) + "]", origin, &s, errors);
    out->push_back(std::move(s));
  }
  return errors->size() == before;
}

}  // namespace azd::catalog
