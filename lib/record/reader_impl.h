// Internal to record/: the reader's state, shared by the JSON walkers (reader.cc) and the
// tabular walkers for Log Analytics CSV and query-API tables (rows.cc). Not a public header:
// it names simdjson types.
#pragma once

#include <simdjson.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/text.h"
#include "record/keys.h"
#include "record/record.h"

namespace azd::record {
namespace detail {

namespace od = simdjson::ondemand;

/// Keys are compared after folding case and dropping '_', so camelCase (az CLI, REST),
/// PascalCase (PowerShell, Log Analytics) and snake_case (Python SDK) names meet.
struct FoldedKey {
  char buf[48];
  std::size_t len = 0;
  bool ok = true;
  explicit FoldedKey(std::string_view key) {
    // Every key of every record passes through here, so eight bytes at a time; a key with
    // '_' (Python SDK dumps) or longer than the buffer takes the byte loop.
    const std::size_t n = key.size();
    if (n < 8 || n > sizeof buf) {
      fold_bytes(key);
      return;
    }
    bool words = true;
    for (std::size_t i = 0; words && i + 8 <= n; i += 8) words = fold_word(key.data() + i, buf + i);
    // The last, partial word: the eight bytes that end the key, overlapping the word before.
    if (words && n % 8 != 0) words = fold_word(key.data() + n - 8, buf + n - 8);
    if (words) len = n;
    else fold_bytes(key);
  }
  std::string_view view() const { return ok ? std::string_view(buf, len) : std::string_view(); }

 private:
  // Lower-cases 8 bytes (ASCII letters only) from `in` to `out`; false when one is '_'.
  static bool fold_word(const char* in, char* out) {
    std::uint64_t x;
    std::memcpy(&x, in, 8);
    if (base::bytes_equal(x, '_') != 0) return false;
    x = base::lower_word(x);
    std::memcpy(out, &x, 8);
    return true;
  }
  void fold_bytes(std::string_view key) {
    len = 0;
    for (char c : key) {
      if (c == '_') continue;
      if (len == sizeof buf) {
        ok = false;
        return;
      }
      buf[len++] = base::lower(c);
    }
  }
};

/// Whether `key` folds (FoldedKey) to `folded`, which is already folded. A key of the same
/// length cannot have had a '_' to drop, so it is compared in place; only a longer key is
/// folded. Raw-field lookups compare every key on their path this way, for every rule that
/// reads into a request body.
inline bool same_folded(std::string_view key, std::string_view folded) {
  if (key.size() == folded.size()) return base::iequals(key, folded);
  // Only dropping '_' makes a key shorter, so a longer key without one is not `folded`.
  return key.size() > folded.size() && key.find('_') != std::string_view::npos && FoldedKey(key).view() == folded;
}

/// The key of an object field as written (keys in Activity Logs never contain escapes; a key
/// that does simply matches nothing).
std::string_view key_of(od::field& f);

/// Reads a string, or the `value` of a {value, localizedValue} object; numbers as their
/// text. `display` (optional) receives localizedValue.
simdjson::error_code string_or_value(od::value v, std::string_view* out,
                                     std::string_view* display = nullptr);

/// Follows a dotted path from `v` (see EventSource::raw_field), parsing JSON held in
/// string values when the path continues into them.
bool follow(od::value v, std::string_view path, od::parser* parser, std::string* scratch,
            int depth, std::string* out);

/// follow() into JSON text held in a string value (`json`, unescaped); an empty path gives
/// the text itself. `parser` and `scratch` are used for this level only.
bool follow_in_text(std::string_view json, std::string_view path, od::parser* parser, std::string* scratch,
                    int depth, std::string* out);

/// What the shape sniffer decided, and where the content starts (after whitespace, or
/// after a stray word line before a pretty-printed record).
struct Sniffed {
  Shape shape = Shape::unknown;
  std::size_t start = 0;
  std::string_view why;  ///< for Shape::unknown: what the content looks like instead
  /// For an object: false when the decision depended on where the text ends, so the head
  /// of an input may be taken for another shape than the whole input.
  bool settled = true;
};
Sniffed sniff(std::string_view text);

/// Log Analytics AzureActivity columns the reader understands (Rows::role_col indexes).
enum Role : std::size_t {
  kTime, kOperationValue, kOperationLegacy, kStatusValue, kStatusLegacy, kSubstatusValue,
  kSubstatusLegacy, kCaller, kCallerIp, kCategoryValue, kCategoryLegacy, kCorrelationId,
  kOperationId, kEventDataId, kLevel, kResourceIdLower, kResourceId, kSubscription,
  kResourceGroup, kProviderValue, kProviderLegacy, kTenantId, kAuthorization,
  kAuthorizationD, kClaims, kClaimsD, kProperties, kPropertiesD, kHttpRequest, kTable,
  kType, kRoleCount
};

/// Maps a column name (`TimeGenerated [UTC]`, `_ResourceId`, ...) to its role, or
/// kRoleCount when the reader does not use it.
Role column_role(std::string_view name);

/// Values taken from properties/claims that feed the normalised view after the record is read.
struct Extras {
  std::string_view upn, name, oid;
  std::string_view event_category;  ///< properties.eventCategory (legacy Write/Delete/Action)
  std::string_view status_code;     ///< properties.statusCode
  std::string_view message;         ///< properties.message (the operation, in LA exports)
  bool identity_is_string = false;
};

/// authorization{action, scope} and httpRequest{clientIpAddress, method}, in any key case.
void map_authorization(od::object a, EventView* ev);
void map_http(od::object h, EventView* ev);

/// What a walk of a record's top-level keys noticed beyond the fields it mapped.
struct Walked {
  bool pascal = false, snake = false, rest_keys = false, storage_keys = false;
  bool stopped = false;  ///< the fields every event needs were read; the rest was stepped over
};

/// The schema family of JSON records, told apart by key spelling (formats.md §2).
enum class Dialect : std::uint8_t { unknown, storage, rest, powershell, sdk };

}  // namespace detail

struct Reader::Impl final : EventSource {
  using od_parser = simdjson::ondemand::parser;
  using od_object = simdjson::ondemand::object;

  od_parser parser;
  mutable od_parser raw_parser;     // for raw_field(), so the main document stays intact
  mutable std::string raw_scratch;  // padded copy of JSON held inside a string value
  std::string_view text;
  ReadResult* result = nullptr;
  const EventCallback* on_event = nullptr;

  // The record being delivered.
  std::size_t rec_begin = 0, rec_end = 0;

  // The fields of the record's top-level `properties` object, in order, noted while it is
  // mapped: every raw path a rule reads starts there (request and response bodies), so
  // raw_field() can look the field up, and parse only its value, instead of parsing the
  // whole record again for every rule that asks. `unknown` falls back to the full parse.
  // `spanned`: a walk that stopped early stepped over the object and noted only its text
  // (props_text); the first raw_field() under `properties` captures its fields from it.
  enum class PropsCapture : std::uint8_t { absent, captured, spanned, unknown };
  struct PropField {
    std::string_view key;  ///< as written
    const char* value;     ///< first byte of the value's JSON text
  };
  mutable PropsCapture props_state = PropsCapture::unknown;
  std::string_view props_text;
  bool raw_shortcut = true;

  // Lazy claims (Reader::set_lazy): the JSON text of the record's claims objects
  // (top level and under identity), mapped by complete() with parsers of their own, so the
  // strings of the first stay valid while the second is parsed.
  bool lazy = false;
  std::array<std::string_view, 2> pending_claims;
  std::size_t pending_count = 0;
  mutable od_parser claims_parser[2];
  mutable std::vector<PropField> prop_fields;

  // Owned storage for values that are not contiguous in the input (complete() fills it).
  mutable std::string scratch_type;

  // What the records turned out to be, for ReadResult::detail.
  detail::Dialect dialect = detail::Dialect::unknown;
  detail::Dialect record_dialect = detail::Dialect::unknown;  // of the record being mapped
  std::uint64_t non_activity = 0;  // records skipped because they are another log type
  std::string non_activity_kind;   // what the first of those was ("NSG flow log")
  std::string envelope_kind;       // set when the envelope itself says (Graph @odata.context)

  // Tabular shapes: the columns of the current table and the cells of the current row.
  // Cells point into the text or into row_scratch; both have kPadding readable bytes after
  // every cell, so a JSON cell can be parsed in place.
  struct CellRef {
    bool in_scratch;
    std::size_t begin, len;
  };
  bool row_mode = false;
  std::vector<std::string> column_names;  // as written, " [UTC]" removed
  std::array<std::size_t, detail::kRoleCount> role_col{};
  std::vector<CellRef> cell_refs;
  std::vector<std::string_view> cells;
  std::string row_scratch;
  bool legacy_layout = false;
  // One parser per JSON cell that can be live at once while a row is mapped.
  od_parser cell_parser[4];
  simdjson::ondemand::document cell_doc[4];

  // Streams hand the reader one block of lines at a time: `text` is the block, and these
  // place it in the whole input. Offsets inside the reader are block-relative until they
  // are reported (issues, EventView::offset).
  std::uint64_t base_offset = 0, base_line = 1;

  // Line counting is incremental: offsets mostly grow, so each byte is counted once.
  mutable std::uint64_t line_pos = 0, line_no = 1;

  /// Line of a whole-input offset (EventSource).
  std::uint64_t line_of(std::uint64_t offset) const override;
  /// Line of a block-relative offset.
  std::uint64_t line_at(std::uint64_t local) const;
  void begin_read(ReadResult* r, const EventCallback* cb);
  // Fills ReadResult::detail from what the records turned out to be.
  void finish_read();
  // Starts reading a new text (whole input, or the next block of a stream).
  void start_text(std::string_view t, std::uint64_t offset, std::uint64_t line);
  bool raw_field(std::string_view dotted_path, std::string* out) const override;
  void complete(EventView* ev) const override;

  void issue(std::size_t offset, std::string reason);
  void skip(std::size_t offset, std::string reason);
  // A record that is another Azure log type: counted, remembered for the file's detail.
  void skip_non_activity(std::size_t offset, std::string kind);
  void deliver(EventView* ev);
  // A fresh view for the record at text[begin, end), made current for raw_field().
  EventView begin_event(std::size_t begin, std::size_t end, bool is_row);
  // Skips a record that failed mapping: `kind` set means another log type.
  void reject(std::size_t offset, std::string why, std::string kind);

  // JSON records.
  void record(std::size_t begin, std::size_t end);
  bool map_object(od_object obj, EventView* ev, std::string* why, std::string* kind);
  // The walk of a record's top-level fields. With `may_stop`, a storage record's walk stops
  // mapping once the fields every event needs are read (Walked::stopped), and steps over
  // the rest; complete_rest() walks the record again in full.
  simdjson::error_code walk_fields(od_object obj, EventView* ev, detail::Extras* x, detail::Walked* w, bool may_stop);
  // The rest of a record whose walk stopped early (complete() calls it): walked again with
  // a parser of its own, keeping what the first walk read.
  void complete_rest(EventView* ev);
  bool stopped_early = false;  // the record being delivered
  od_parser rest_parser;
  static void map_claims(od_object claims, EventView* ev, detail::Extras* x);
  // A claims value met while mapping: its text is noted for complete().
  void take_claims(simdjson::ondemand::value v, EventView* ev);
  // `capture`: note the fields for raw_field() (the record's own properties, not nested ones).
  void map_properties(od_object props, EventView* ev, detail::Extras* x, bool capture = false);
  // raw_field() for paths under `properties`, from the captured fields. False in *answered
  // when the capture cannot tell (then the whole record is parsed).
  bool captured_raw_field(std::string_view dotted_path, std::string* out, bool* answered) const;
  // The first `properties` value met past the point where a walk stopped mapping: its text.
  void note_properties(simdjson::ondemand::value v);
  // Captures the fields of the object noted by note_properties().
  void capture_properties() const;
  // Shared end of every shape's mapping: checks the record is Activity Log, fills derived
  // fields. Returns false with `kind` set for another log type, `why` for anything else.
  bool complete_event(EventView* ev, const detail::Extras& x, std::string* why, std::string* kind);
  void finish_event(EventView* ev, const detail::Extras& x);
  // The resource id's parts (subscription, group, provider, type, name) where the record
  // did not write them as fields; complete() does it, once per event.
  void resolve_resource(EventView* ev) const;
  // The caller when the record has no top-level one: UPN, else name, app id, object id.
  static void resolve_caller(EventView* ev, const detail::Extras& x);

  // Shape walkers (JSON).
  // `newlines`: the offsets of the text's newlines when the caller has them (else found here).
  void read_lines(std::size_t begin, const std::vector<std::uint32_t>* newlines = nullptr);
  std::vector<std::uint32_t> newline_scratch;

  // Arrays, envelopes and concatenated objects are walked by one resumable walker, so a
  // stream can hand them over window by window: walk() consumes whole records from `text`
  // and stops where the window ends inside something it must see whole (a record, a key,
  // an envelope's scalar value), to go on from there in the next window. Reading a whole
  // text is one walk() with at_end set. `Walk` is where it stands between two windows.
  enum class Walk : std::uint8_t {
    values,          // concatenated top-level objects: before the next one
    items,           // in an events array: before the next record or the closing ']'
    item_comma,      // in an events array: after a record
    array_closed,    // after a top-level array: another page ("[...][...]") or the end
    envelope,        // between envelopes: before the next '{'
    envelope_key,    // in an envelope: before the next key or the closing '}'
    envelope_comma,  // in an envelope: after a value
    done,            // the rest of the input is ignored (trailing content, truncation)
  };
  Walk walk_state = Walk::done;
  bool walk_in_envelope = false;  // the events array belongs to an envelope
  // Sets the walker up for a text of `shape` whose content starts at `start`; returns where
  // the first walk() begins.
  std::size_t start_walk(Shape shape, std::size_t start);
  // Walks text[i, ...); returns how many bytes of the text were consumed (all of them once
  // at_end is set, or once the walk is done).
  std::size_t walk(std::size_t i, bool at_end);
  // value_end() of a value that the text holds whole: one cut by the end of a window (not
  // at_end) is not whole, even a scalar that value_end() ends at the end of the text.
  bool whole_value(std::size_t i, bool at_end, std::size_t* end) const;
  // The walker meets the end of the input: `reason` is an issue at `offset` (none when
  // empty) and nothing more is read.
  std::size_t stop_walk(std::size_t offset, std::string reason, bool skipped = false);
  // Reads a stream of a streamable JSON shape window by window (see read_stream).
  ReadResult walk_stream(input::Stream& in, Shape shape, std::size_t start, const EventCallback& callback);

  // Shape walkers (tabular, rows.cc).
  void read_csv(std::size_t begin);
  void read_tables(std::size_t begin);
  void set_columns();
  void finish_cells();
  void map_row(std::size_t begin, std::size_t end);
  std::string_view cell(detail::Role r) const;
  bool parse_cell(int slot, std::string_view cell_text, od_object* out);
  bool row_raw_field(std::string_view dotted_path, std::string* out) const;
  std::size_t readable_after(const char* p) const;
};

}  // namespace azd::record
