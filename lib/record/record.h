// record: from UTF-8 text to normalised events. Owns export-shape detection (from content,
// never from file names), the per-shape field mapping onto one EventView, time parsing and
// formatting, and status normalisation. simdjson is used only inside this module: no type
// here names it. It knows nothing about rules, findings or output formats.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace azd::input {
class Stream;
}

namespace azd::record {

/// Event time as 100-nanosecond ticks since 1970-01-01T00:00:00Z: the 7 fractional digits
/// that Azure writes are kept exactly.
using Ticks = std::int64_t;
inline constexpr Ticks kTicksPerSecond = 10'000'000;
/// An event whose time could not be read.
inline constexpr Ticks kNoTime = INT64_MIN;

/// Parses the time formats seen in exports: RFC 3339 with 0-9 fractional digits and `Z` or
/// an offset (or none: UTC assumed), PowerShell `/Date(ms)/`, and the Log Analytics CSV
/// form `4/28/2021, 2:32:14.029 PM`. Returns false when `text` is none of these.
bool parse_time(std::string_view text, Ticks* out);

/// RFC 3339 UTC with exactly 7 fractional digits: `2026-02-23T01:39:21.6411294Z`.
std::string format_time(Ticks t);

/// Final or intermediate status of one record of an operation. Storage/Event Hub spellings
/// (Start, Accept, Success, Failure) map onto the REST ones.
enum class Status : std::uint8_t {
  none,         ///< no status in the record
  started,
  accepted,
  running,
  in_progress,
  succeeded,
  failed,
  canceled,
  active,
  resolved,
  updated,
  other,        ///< present but not one of the above; the text is in EventView::status_text
};

/// Normalises a status spelling (case-insensitive; `Succeeded.Created` style signatures use
/// the part before the dot).
Status parse_status(std::string_view text);
/// Canonical spelling: "Succeeded", "Failed", ...; "" for Status::none.
std::string_view status_name(Status s);
/// True for statuses that end an operation (succeeded, failed, canceled).
bool is_terminal(Status s);

/// The export shape a file was recognised as (formats.md §1).
enum class Shape : std::uint8_t {
  empty,              ///< no content (only whitespace)
  json_lines,         ///< storage-account PT1H.json: one record per line
  records_envelope,   ///< {"records":[...]} (Event Hub, pre-2018 storage blobs)
  json_array,         ///< az CLI / Extractor-Suite / PowerShell / SDK: a JSON array of events
  value_page,         ///< REST {"value":[...],"nextLink":...} (one page or several)
  single_object,      ///< one bare event object
  la_tables,          ///< Log Analytics query API {"tables":[...]}
  la_csv,             ///< Log Analytics portal CSV export
  unknown,            ///< content that is none of the above
};

/// Stable lower-case name used in reports ("json-lines", "az-cli-array", ...).
std::string_view shape_name(Shape s);

/// Guesses the shape from the first bytes (after any BOM). Cheap: looks at a prefix only.
Shape sniff_shape(std::string_view text);

class EventSource;

/// One normalised event. Every view points into the input buffer or the reader's scratch
/// space and is valid only during the callback that receives it; copy what you keep.
/// Empty string_view means "absent".
struct EventView {
  Ticks time = kNoTime;
  Status status = Status::none;
  std::string_view time_text;
  std::string_view operation;          ///< operation name as written (case preserved)
  std::string_view operation_display;  ///< localised display name, when the export has one
  std::string_view status_text;        ///< status as written
  std::string_view substatus;          ///< subStatus value, resultSignature suffix or HTTP code text
  std::string_view status_message;     ///< properties.statusMessage (often JSON in a string)
  std::string_view caller;             ///< UPN, else app id, else object id
  std::string_view caller_ip;
  std::string_view resource_id;        ///< as written (case preserved)
  std::string_view subscription;
  std::string_view resource_group;
  std::string_view provider;           ///< e.g. Microsoft.Compute
  std::string_view resource_type;      ///< e.g. Microsoft.Compute/virtualMachines
  std::string_view resource_name;      ///< last segment of the resource id
  std::string_view category;           ///< Administrative, Policy, ... (legacy Write/Delete/Action resolved)
  std::string_view level;
  std::string_view correlation_id;
  std::string_view operation_id;
  std::string_view event_id;           ///< eventDataId
  std::string_view event_name;         ///< BeginRequest / EndRequest
  std::string_view http_method;
  std::string_view tenant_id;
  std::string_view app_id;             ///< appid claim, when the token carries one
  std::string_view authorization_action;
  std::string_view authorization_scope;
  std::string_view raw;                ///< the record's own text (a JSON object or CSV row)
  std::uint64_t offset = 0;            ///< byte offset of the record in the decoded text
  const EventSource* source = nullptr; ///< raw field access and line numbers for this event
  /// The reader left work for later (Reader::set_lazy), done by EventSource::complete() in
  /// a copy of this view: the token claims (`caller` may be empty where the claims would
  /// give it, `app_id` is empty), the parts of the resource id (`subscription`,
  /// `resource_group`, `provider` and `resource_type` are only what the record wrote as
  /// fields of their own; `resource_name` is empty) and, for a storage record, every field
  /// after its status: such a view carries for certain only `time`, `operation`, `status`,
  /// `status_text`, `category`, `event_id`, `raw` and `offset` (raw_field() reads the rest).
  bool pending = false;
};

/// Access to what the normalised view does not carry, for the event being delivered.
/// Implemented by the reader; only valid during the callback, like the EventView.
class EventSource {
 public:
  virtual ~EventSource() = default;
  /// Reads a raw field by dotted path ("properties.requestbody", "claims.ipaddr"), matching
  /// keys case-insensitively, descending into JSON held in string values. Scalars come back
  /// as their text, objects and arrays as compact JSON. Returns false when absent.
  virtual bool raw_field(std::string_view dotted_path, std::string* out) const = 0;
  /// 1-based line of a byte offset in the decoded text.
  virtual std::uint64_t line_of(std::uint64_t offset) const = 0;
  /// Does what a lazy reader left for later in `ev`, a copy of the view being delivered:
  /// the caller and app id from the token claims, the resource id's parts. Does nothing
  /// when ev->pending is false; clears it otherwise. The strings it adds are valid as long
  /// as the view's others.
  virtual void complete(EventView* ev) const = 0;
};

/// A record that could not be turned into an event, with where and why.
struct ReadIssue {
  std::uint64_t offset = 0;
  std::uint64_t line = 0;
  std::string reason;
};

/// What reading one input produced. records == events + skipped always holds.
struct ReadResult {
  Shape shape = Shape::unknown;
  std::string detail;        ///< finer description, e.g. "az-cli (camelCase)" or why it is not an Activity Log
  bool activity_log = true;  ///< false for other Azure logs in the same envelopes (no events are produced)
  bool fatal = false;        ///< the input as a whole could not be read (see issues)
  std::uint64_t records = 0;
  std::uint64_t events = 0;
  std::uint64_t skipped = 0;
  std::uint64_t issue_count = 0;    ///< all issues, including those not kept below
  std::vector<ReadIssue> issues;    ///< the first kMaxIssues, in input order
};

/// How many issues a ReadResult keeps per input; the rest are only counted.
inline constexpr std::size_t kMaxIssues = 20;

using EventCallback = std::function<void(const EventView&)>;

/// Turns text into events. Holds the parser and scratch space, which are reused across
/// inputs: keep one Reader per thread.
class Reader {
 public:
  Reader();
  ~Reader();
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  /// Reads every record of `text` (which must be followed by input::kPadding readable
  /// bytes) and calls `on_event` for each Activity Log event, in input order.
  ReadResult read(std::string_view text, const EventCallback& on_event);

  /// Reads an input from a stream. JSON Lines are parsed block by block as the stream
  /// delivers them, and arrays, envelopes and concatenated objects window by window, so
  /// memory stays flat and gzip is inflated as it goes; UTF-16, tables and inputs whose
  /// first window does not settle the shape are read whole through Stream::take_all().
  /// Events, offsets, line numbers and issues are exactly what read() gives for the whole
  /// decoded text. A stream that fails part-way keeps the events already delivered and
  /// marks the result fatal, with the reason.
  ReadResult read_stream(input::Stream& in, const EventCallback& on_event);

  /// On by default: raw_field() answers paths under `properties` from the fields noted
  /// while mapping. Tests and fuzzers turn it off to compare with the full parse.
  void set_raw_field_shortcut(bool on);

  /// Off by default. When on, records are delivered without mapping their token claims or
  /// splitting their resource id, and storage records without mapping what follows their
  /// status (EventView::pending): the claims are most of a storage record's keys and are
  /// read only for the caller and app id, and the rest is read only by the rules an event's
  /// operation or status selects and for evidence, so most events never need it. Such a
  /// consumer calls EventSource::complete() on the events that need it.
  ///
  /// Both modes walk a record the same way: a storage record's top-level keys are all read
  /// (so both refuse the same broken records), but past its status their values are only
  /// stepped over, except a key giving one of the fields above again, which wins as in a
  /// whole read. An eager reader completes the view before delivering it. A value broken
  /// further on (a bad escape, say) leaves the fields from it on empty in the completed
  /// view; the event is still an event.
  void set_lazy(bool on);

  /// Reads one block of a JSON Lines input, cut at line boundaries by Stream::next_lines(),
  /// that starts at `offset` and on `line` of the whole input; `start` skips what precedes
  /// the first record (first block only, see lines_streamable()). Several readers on
  /// several threads can read the blocks of one input; merge_results() joins their results.
  /// `newlines` are the offsets of the block's newlines (base::find_all), for a caller that
  /// found them to count lines; null lets the reader find them.
  ReadResult read_lines_block(std::string_view block, std::uint64_t offset, std::uint64_t line,
                              std::size_t start, const EventCallback& on_event,
                              const std::vector<std::uint32_t>* newlines = nullptr);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Whether an input whose first window (Stream::head()) is `head` is JSON Lines beyond
/// doubt, so it can be read block by block; *start receives the offset of the first record.
bool lines_streamable(std::string_view head, std::size_t* start);

/// The result for a stream that failed at `offset`/`line` (Stream::next_lines() or
/// next_window() said why).
ReadResult stream_failure(std::uint64_t offset, std::uint64_t line, const std::string& err,
                          Shape shape = Shape::json_lines);

/// Joins the results of consecutive blocks of one input, given in input order: counts add
/// up, issues keep input order, and the detail is the one reading the whole input gives.
ReadResult merge_results(std::vector<ReadResult> parts);

/// The simdjson code this build runs (docs/performance.md), for `azdetect --version -v`.
struct SimdjsonInfo {
  std::string version;    ///< simdjson release, e.g. "3.0.1"
  std::string stage1;     ///< structural indexer chosen at run time for this CPU, e.g. "icelake"
  std::string on_demand;  ///< kernel the On Demand walk was compiled for, e.g. "fallback"
};
SimdjsonInfo simdjson_info();

/// Splits an ARM resource id into its parts (case-insensitive segment names). Views point
/// into `id`.
struct ResourceParts {
  std::string_view subscription, resource_group, provider, type_tail, name;
};
ResourceParts split_resource_id(std::string_view id);

}  // namespace azd::record
