// Internal to report/: the JSON objects that json, jsonl and sarif share. Each function writes
// the members of one object (not the braces), so the document printer nests them and the
// jsonl printer puts a "type" member first. One definition of every field name and order
// keeps the formats from drifting apart; docs/schema/azdetect-output.schema.json describes them.
#pragma once

#include "report/json_writer.h"
#include "report/report.h"

namespace azd::report::detail {

/// schema_version, tool{name, version}, run{arguments, started, elapsed_seconds}; elapsed
/// is left out when null (a streamed run header is written before it is known).
void write_run_members(JsonWriter& w, const RunInfo& run, const double* elapsed_seconds);
/// path, readable, shape, detail, encoding, gzip, activity_log, bytes, records, events,
/// skipped, duplicates, out_of_range, error_count, errors[{line, offset, reason}].
void write_input_members(JsonWriter& w, const InputReport& in);
/// line, offset, reason: where and why a record or input could not be read.
void write_issue_members(JsonWriter& w, const record::ReadIssue& e);
/// id, rule{...}, first_time, last_time, count, group, operation, status, subscription,
/// resource_group, resources, callers, caller_ips, correlation_ids, evidence_total,
/// evidence[...], remediation{...} with placeholders filled.
void write_finding_members(JsonWriter& w, const engine::Finding& f);
/// file, line, offset, time, operation, status, substatus, resource_id, caller, caller_ip,
/// correlation_id, event_id: one record, in a finding's evidence or a search result.
void write_evidence_members(JsonWriter& w, const engine::Evidence& e);
/// files, bytes, events, ..., by_severity, top_rules, top_callers, rates.
void write_summary_members(JsonWriter& w, const Summary& s);
/// The rule as printed inside a finding: id, title, severity, tags, attack.
void write_rule_members(JsonWriter& w, const catalog::Detection& r);
/// summary, why, triage, containment, recovery, prevention (each [{text, command}]): a
/// remediation with its placeholders filled from `f` (a finding's), or as written when `f`
/// is null (`rules show/list`).
void write_remediation_members(JsonWriter& w, const catalog::Remediation& r, const engine::Finding* f);
/// RFC 3339 UTC with 7 fractional digits, or null for an unknown time.
void write_time(JsonWriter& w, record::Ticks t);

/// Appends one JSON Lines object to `out`: {"type": type, <members(w)>}\n.
template <class Members>
void append_jsonl_line(std::string* out, std::string_view type, const Members& members) {
  JsonWriter w(out, 0);
  w.begin_object();
  w.member("type", type);
  members(w);
  w.end_object();
  out->push_back('\n');
}

}  // namespace azd::report::detail
