// Tabular shapes: the Log Analytics portal CSV export (RFC 4180, quoted multi-line cells) and
// the Log Analytics query API ({"tables":[{"columns":[...],"rows":[[...]]}]}). Both reduce to
// "named cells of one row"; one mapping turns a row into an EventView, reading JSON held in
// cells (Authorization, Claims, Properties, HTTPRequest) in place.
//
// Cells are views into the input when they can be (unquoted CSV cells, quoted ones without
// doubled quotes, object cells of the API) and into row_scratch otherwise, so memory stays
// proportional to the largest row, never to the file.
#include <cstring>

#include "input/input.h"
#include "record/json_scan.h"
#include "record/reader_impl.h"

namespace azd::record {

namespace od = simdjson::ondemand;
using base::iequals;
using detail::Extras;
using detail::FoldedKey;
using detail::Role;
using detail::skip_ws;
using detail::value_end;

namespace detail {

Role column_role(std::string_view name) {
  // The CSV export suffixes datetime columns with " [UTC]"; the API does not.
  if (auto bracket = name.find(" ["); bracket != std::string_view::npos) name = name.substr(0, bracket);
  if (iequals(name, "_ResourceId")) return kResourceIdLower;
  if (name == "$table") return kTable;
  struct Entry {
    std::string_view folded;
    Role role;
  };
  static constexpr Entry kColumns[] = {
      {"timegenerated", kTime},
      {"operationnamevalue", kOperationValue},
      {"operationname", kOperationLegacy},
      {"activitystatusvalue", kStatusValue},
      {"activitystatus", kStatusLegacy},
      {"activitysubstatusvalue", kSubstatusValue},
      {"activitysubstatus", kSubstatusLegacy},
      {"caller", kCaller},
      {"calleripaddress", kCallerIp},
      {"categoryvalue", kCategoryValue},
      {"category", kCategoryLegacy},
      {"correlationid", kCorrelationId},
      {"operationid", kOperationId},
      {"eventdataid", kEventDataId},
      {"level", kLevel},
      {"resourceid", kResourceId},
      {"subscriptionid", kSubscription},
      {"resourcegroup", kResourceGroup},
      {"resourceprovidervalue", kProviderValue},
      {"resourceprovider", kProviderLegacy},
      {"tenantid", kTenantId},
      {"authorization", kAuthorization},
      {"authorizationd", kAuthorizationD},
      {"claims", kClaims},
      {"claimsd", kClaimsD},
      {"properties", kProperties},
      {"propertiesd", kPropertiesD},
      {"httprequest", kHttpRequest},
      {"type", kType},
  };
  FoldedKey k(name);
  for (const Entry& e : kColumns) {
    if (k.view() == e.folded) return e.role;
  }
  return kRoleCount;
}

}  // namespace detail

namespace {

constexpr std::size_t kNoColumn = static_cast<std::size_t>(-1);

// "Created (HTTP Status Code: 201)" -> "Created": legacy substatus text and the value
// columns then compare alike.
std::string_view strip_http_suffix(std::string_view s) {
  auto paren = s.find(" (HTTP");
  return paren == std::string_view::npos ? s : s.substr(0, paren);
}

std::string_view first_of(std::string_view a, std::string_view b) { return a.empty() ? b : a; }

}  // namespace

std::size_t Reader::Impl::readable_after(const char* p) const {
  // Cells live in the text or in row_scratch, each followed by kPadding readable bytes.
  if (p >= text.data() && p <= text.data() + text.size()) {
    return static_cast<std::size_t>(text.data() + text.size() - p) + input::kPadding;
  }
  return static_cast<std::size_t>(row_scratch.data() + row_scratch.size() - p);
}

std::string_view Reader::Impl::cell(Role r) const {
  const std::size_t c = role_col[r];
  return c < cells.size() ? cells[c] : std::string_view();
}

bool Reader::Impl::parse_cell(int slot, std::string_view cell_text, od::object* out) {
  std::size_t i = skip_ws(cell_text, 0);
  if (i >= cell_text.size() || cell_text[i] != '{') return false;
  cell_text.remove_prefix(i);
  auto& doc = cell_doc[slot];
  if (cell_parser[slot].iterate(cell_text.data(), cell_text.size(), readable_after(cell_text.data())).get(doc)) {
    return false;
  }
  return !doc.get_object().get(*out);
}

void Reader::Impl::set_columns() {
  role_col.fill(kNoColumn);
  for (std::size_t c = 0; c < column_names.size(); ++c) {
    const Role r = detail::column_role(column_names[c]);
    if (r != detail::kRoleCount && role_col[r] == kNoColumn) role_col[r] = c;
  }
  legacy_layout = role_col[detail::kOperationValue] == kNoColumn;
}

// Turns cell_refs into views. Called once row_scratch holds the whole row and its padding,
// so no later append can move what the views point at.
void Reader::Impl::finish_cells() {
  row_scratch.append(input::kPadding, ' ');
  cells.clear();
  for (const CellRef& r : cell_refs) {
    cells.push_back(r.in_scratch ? std::string_view(row_scratch).substr(r.begin, r.len)
                                 : text.substr(r.begin, r.len));
  }
}

void Reader::Impl::map_row(std::size_t begin, std::size_t end) {
  bool blank = true;
  for (std::string_view c : cells) blank = blank && c.empty();
  if (blank) return;  // an empty line, or a row of empty cells: not a record
  if (cells.size() != column_names.size()) {
    skip(begin, "row has " + std::to_string(cells.size()) + " fields, the header has " +
                    std::to_string(column_names.size()));
    return;
  }
  using namespace detail;
  EventView ev = begin_event(begin, end, true);

  // Another table exported with the same tooling (SigninLogs, AuditLogs, ...).
  std::string_view table = first_of(cell(kTable), cell(kType));
  if (!table.empty() && !iequals(table, "AzureActivity")) {
    skip_non_activity(begin, "Log Analytics '" + std::string(table.substr(0, 64)) + "' table");
    return;
  }
  ev.time_text = cell(kTime);
  ev.operation = cell(kOperationValue);
  ev.operation_display = cell(kOperationLegacy);
  ev.status_text = first_of(cell(kStatusValue), cell(kStatusLegacy));
  ev.substatus = strip_http_suffix(first_of(cell(kSubstatusValue), cell(kSubstatusLegacy)));
  ev.caller = cell(kCaller);
  ev.caller_ip = cell(kCallerIp);
  ev.category = first_of(cell(kCategoryValue), cell(kCategoryLegacy));
  ev.correlation_id = cell(kCorrelationId);
  ev.operation_id = cell(kOperationId);
  ev.event_id = cell(kEventDataId);
  ev.level = cell(kLevel);
  ev.resource_id = first_of(cell(kResourceIdLower), cell(kResourceId));
  ev.subscription = cell(kSubscription);
  ev.resource_group = cell(kResourceGroup);
  ev.provider = first_of(cell(kProviderValue), cell(kProviderLegacy));
  ev.tenant_id = cell(kTenantId);

  // JSON cells: the string column, else its dynamic twin (the API leaves one of them null).
  Extras x;
  od::object obj;
  if (parse_cell(0, first_of(cell(kAuthorization), cell(kAuthorizationD)), &obj)) map_authorization(obj, &ev);
  if (parse_cell(1, first_of(cell(kClaims), cell(kClaimsD)), &obj)) map_claims(obj, &ev, &x);
  if (parse_cell(2, first_of(cell(kProperties), cell(kPropertiesD)), &obj)) map_properties(obj, &ev, &x);
  if (parse_cell(3, cell(kHttpRequest), &obj)) map_http(obj, &ev);
  // The legacy layout has only the display name: the operation is in Properties.message
  // (which also names cascaded child deletes correctly), else Authorization.action.
  if (ev.operation.empty()) {
    ev.operation = x.message.find('/') != std::string_view::npos ? x.message : ev.authorization_action;
    if (ev.operation.empty()) ev.operation = ev.operation_display;
  }
  std::string why, kind;
  if (!complete_event(&ev, x, &why, &kind)) {
    reject(begin, std::move(why), std::move(kind));
    return;
  }
  deliver(&ev);
}

// ---- CSV ----

void Reader::Impl::read_csv(std::size_t begin) {
  // Parses one RFC 4180 record at i into cell_refs; returns where the next record starts.
  // Quoted cells may hold commas, newlines and doubled quotes; only cells with doubled
  // quotes are copied (unescaped) into row_scratch.
  enum class Outcome { ok, truncated, malformed };
  std::size_t bad_at = 0;
  auto parse_row = [&](std::size_t i, std::size_t* next, std::size_t* row_end) -> Outcome {
    cell_refs.clear();
    row_scratch.clear();
    const std::size_t n = text.size();
    for (;;) {
      if (i < n && text[i] == '"') {
        std::size_t j = i + 1;
        bool copied = false;
        std::size_t scratch_begin = row_scratch.size();
        for (;;) {
          const void* q = std::memchr(text.data() + j, '"', n - j);
          if (!q) return Outcome::truncated;
          const std::size_t quote = static_cast<std::size_t>(static_cast<const char*>(q) - text.data());
          if (quote + 1 < n && text[quote + 1] == '"') {
            // A doubled quote: the cell needs unescaping.
            if (!copied) {
              copied = true;
              scratch_begin = row_scratch.size();
            }
            row_scratch.append(text.data() + j, quote + 1 - j);
            j = quote + 2;
            continue;
          }
          if (copied) {
            row_scratch.append(text.data() + j, quote - j);
            cell_refs.push_back({true, scratch_begin, row_scratch.size() - scratch_begin});
          } else {
            cell_refs.push_back({false, i + 1, quote - i - 1});
          }
          i = quote + 1;
          break;
        }
        if (i < n && text[i] == '\r') ++i;
        if (i < n && text[i] != ',' && text[i] != '\n') {
          bad_at = i;
          return Outcome::malformed;
        }
      } else {
        std::size_t j = i;
        while (j < n && text[j] != ',' && text[j] != '\n') ++j;
        std::size_t e = j;
        if (e > i && text[e - 1] == '\r') --e;
        cell_refs.push_back({false, i, e - i});
        i = j;
      }
      if (i >= n) {
        *row_end = n;
        *next = n;
        return Outcome::ok;
      }
      if (text[i] == '\n') {
        *row_end = i > 0 && text[i - 1] == '\r' ? i - 1 : i;
        *next = i + 1;
        return Outcome::ok;
      }
      ++i;  // the comma
    }
  };

  // The header names the columns.
  std::size_t next = begin, row_end = begin;
  if (parse_row(begin, &next, &row_end) != Outcome::ok) {
    issue(begin, "malformed CSV header");
    return;
  }
  finish_cells();
  column_names.clear();
  for (std::string_view c : cells) column_names.emplace_back(c);
  set_columns();

  std::size_t i = next;
  while (i < text.size()) {
    const std::size_t row_begin = i;
    switch (parse_row(i, &next, &row_end)) {
      case Outcome::ok:
        finish_cells();
        map_row(row_begin, row_end);
        i = next;
        break;
      case Outcome::truncated:
        skip(row_begin, "truncated CSV row at end of input (unclosed quoted field)");
        return;
      case Outcome::malformed: {
        skip(bad_at, "malformed CSV: text after a closing quote");
        // Resynchronise at the next line that does not continue a quoted field.
        const void* nl = std::memchr(text.data() + bad_at, '\n', text.size() - bad_at);
        i = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - text.data()) + 1 : text.size();
        break;
      }
    }
  }
}

// ---- Log Analytics query API ----

void Reader::Impl::read_tables(std::size_t begin) {
  // Walks {"tables":[ {name, columns, rows}, ... ]} with the structural scanner; only the
  // columns list and one row at a time are parsed.
  auto object_members = [&](std::size_t open, auto&& on_member) -> bool {
    std::size_t j = skip_ws(text, open + 1);
    while (j < text.size() && text[j] != '}') {
      const std::size_t key_end = detail::string_end(text, j);
      if (text[j] != '"' || key_end == std::string_view::npos) return false;
      std::string_view key = text.substr(j + 1, key_end - j - 2);
      j = skip_ws(text, key_end);
      if (j >= text.size() || text[j] != ':') return false;
      j = skip_ws(text, j + 1);
      const std::size_t vend = value_end(text, j);
      // A truncated member still gets its whole items read: it runs to the end of the text.
      on_member(key, j, vend);
      if (vend == std::string_view::npos) return false;
      j = skip_ws(text, vend);
      if (j < text.size() && text[j] == ',') j = skip_ws(text, j + 1);
    }
    return j < text.size();
  };

  auto read_columns = [&](std::size_t b, std::size_t e) -> bool {
    column_names.clear();
    od::document doc;
    if (parser.iterate(text.data() + b, e - b, text.size() - b + input::kPadding).get(doc)) return false;
    od::array arr;
    if (doc.get_array().get(arr)) return false;
    for (auto item : arr) {
      od::object col;
      if (item.get_object().get(col)) return false;
      std::string_view name;
      for (auto field : col) {
        od::field f;
        if (std::move(field).get(f)) return false;
        if (detail::key_of(f) == "name" && f.value().get_string().get(name)) return false;
      }
      column_names.emplace_back(name);
    }
    set_columns();
    return true;
  };

  auto read_row = [&](std::size_t b, std::size_t e) {
    od::document doc;
    od::array arr;
    if (parser.iterate(text.data() + b, e - b, text.size() - b + input::kPadding).get(doc) ||
        doc.get_array().get(arr)) {
      skip(b, "row is not a JSON array");
      return;
    }
    cell_refs.clear();
    row_scratch.clear();
    for (auto item : arr) {
      od::value v;
      od::json_type t;
      if (item.get(v) || v.type().get(t)) {
        skip(b, "malformed JSON in row");
        return;
      }
      std::string_view s;
      simdjson::error_code err = simdjson::SUCCESS;
      switch (t) {
        case od::json_type::string:
          // Unescaped into row_scratch: string cells often hold JSON, parsed in place later.
          err = v.get_string().get(s);
          if (!err) {
            cell_refs.push_back({true, row_scratch.size(), s.size()});
            row_scratch.append(s);
          }
          break;
        case od::json_type::object:
        case od::json_type::array: {
          // A dynamic column: its JSON text stays in the input.
          if (t == od::json_type::object) {
            od::object o;
            err = v.get_object().get(o);
            if (!err) err = o.raw_json().get(s);
          } else {
            od::array a;
            err = v.get_array().get(a);
            if (!err) err = a.raw_json().get(s);
          }
          if (!err) cell_refs.push_back({false, static_cast<std::size_t>(s.data() - text.data()), s.size()});
          break;
        }
        case od::json_type::null: cell_refs.push_back({false, b, 0}); break;
        default: {
          s = v.raw_json_token();
          while (!s.empty() && (s.back() == ' ' || s.back() == ',' || s.back() == '\n' || s.back() == '\r' ||
                                s.back() == '\t' || s.back() == ']'))
            s.remove_suffix(1);
          cell_refs.push_back({false, static_cast<std::size_t>(s.data() - text.data()), s.size()});
        }
      }
      if (err) {
        skip(b, std::string("malformed JSON in row: ") + simdjson::error_message(err));
        return;
      }
    }
    finish_cells();
    map_row(b, e);
  };

  // Calls `each(begin, end)` for the items of the array [b, e); e is npos when truncated,
  // and then the first item that does not end is reported.
  auto for_items = [&](std::size_t b, std::size_t e, auto&& each) {
    const std::size_t limit = e == std::string_view::npos ? text.size() : e - 1;
    std::size_t i = skip_ws(text, b + 1);
    while (i < limit && text[i] != ']') {
      const std::size_t end = value_end(text, i);
      if (end == std::string_view::npos || end > limit) {
        skip(i, "truncated row at end of input");
        return;
      }
      each(i, end);
      i = skip_ws(text, end);
      if (i < text.size() && text[i] == ',') i = skip_ws(text, i + 1);
    }
  };

  auto read_table = [&](std::size_t open) {
    std::size_t columns_b = 0, columns_e = 0, rows_b = 0, rows_e = 0;
    bool have_columns = false, have_rows = false;
    object_members(open, [&](std::string_view key, std::size_t b, std::size_t e) {
      if (key == "columns" && e != std::string_view::npos) {
        have_columns = true;
        columns_b = b;
        columns_e = e;
      } else if (key == "rows" && text[b] == '[') {
        have_rows = true;
        rows_b = b;
        rows_e = e;
      }
    });
    if (!have_columns || !read_columns(columns_b, columns_e)) {
      issue(open, "table without a readable columns list");
      return;
    }
    if (have_rows) for_items(rows_b, rows_e, read_row);
  };

  bool found = false;
  const bool ok = object_members(begin, [&](std::string_view key, std::size_t b, std::size_t e) {
    if (key != "tables" || text[b] != '[') return;
    found = true;
    // Tables are walked by members, not by value_end, so a truncated table still yields
    // its whole rows.
    std::size_t i = skip_ws(text, b + 1);
    while (i < text.size() && text[i] == '{' && (e == std::string_view::npos || i < e)) {
      read_table(i);
      const std::size_t end = value_end(text, i);
      if (end == std::string_view::npos) break;
      i = skip_ws(text, end);
      if (i < text.size() && text[i] == ',') i = skip_ws(text, i + 1);
    }
  });
  if (!ok) issue(text.size(), "truncated Log Analytics response (the envelope is not closed)");
  if (!found) issue(begin, "no \"tables\" array in the response");
}

// ---- raw fields of a row ----

bool Reader::Impl::row_raw_field(std::string_view dotted_path, std::string* out) const {
  const auto dot = dotted_path.find('.');
  const std::string_view head = dotted_path.substr(0, dot);
  const std::string_view rest = dot == std::string_view::npos ? std::string_view() : dotted_path.substr(dot + 1);
  // A column by name ("Properties", "TimeGenerated"); an empty cell falls back to the
  // dynamic twin ("Properties_d") so paths work on either API layout.
  auto find = [&](std::string_view name) -> std::string_view {
    FoldedKey want(name);
    for (std::size_t c = 0; c < column_names.size() && c < cells.size(); ++c) {
      std::string_view col = column_names[c];
      if (auto bracket = col.find(" ["); bracket != std::string_view::npos) col = col.substr(0, bracket);
      if (FoldedKey(col).view() == want.view() && !cells[c].empty()) return cells[c];
    }
    return {};
  };
  std::string_view value = find(head);
  if (value.empty()) {
    std::string twin(head);
    twin += "_d";
    value = find(twin);
  }
  if (value.empty()) return false;
  return detail::follow_in_text(value, rest, &raw_parser, &raw_scratch, 0, out);
}

}  // namespace azd::record
