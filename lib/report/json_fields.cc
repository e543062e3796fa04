#include "report/json_fields.h"

namespace azd::report::detail {
namespace {

void write_counts(JsonWriter& w, std::string_view name, const std::vector<NameCount>& list) {
  w.key(name);
  w.begin_array();
  for (const NameCount& c : list) {
    w.begin_object();
    w.member("name", c.name);
    w.member("count", c.count);
    w.end_object();
  }
  w.end_array();
}

// A rule's text as printed: with the placeholders filled from a finding, or as written.
std::string filled(std::string_view text, const engine::Finding* f) {
  return f ? fill_placeholders(text, *f) : std::string(text);
}

void write_steps(JsonWriter& w, std::string_view name, const std::vector<catalog::Step>& steps,
                 const engine::Finding* f) {
  w.key(name);
  w.begin_array();
  for (const catalog::Step& s : steps) {
    w.begin_object();
    w.member("text", filled(s.text, f));
    if (!s.command.empty()) {
      w.member("command", filled(s.command, f));
    }
    w.end_object();
  }
  w.end_array();
}

}  // namespace

void write_remediation_members(JsonWriter& w, const catalog::Remediation& r, const engine::Finding* f) {
  w.member("summary", filled(r.summary, f));
  w.member("why", r.why);
  write_steps(w, "triage", r.triage, f);
  write_steps(w, "containment", r.containment, f);
  write_steps(w, "recovery", r.recovery, f);
  write_steps(w, "prevention", r.prevention, f);
}

void write_evidence_members(JsonWriter& w, const engine::Evidence& e) {
  w.member("file", e.input);
  w.member("line", e.line);
  w.member("offset", e.offset);
  w.key("time");
  write_time(w, e.time);
  w.member("operation", e.operation);
  w.member("status", e.status);
  w.member("substatus", e.substatus);
  w.member("resource_id", e.resource_id);
  w.member("caller", e.caller);
  w.member("caller_ip", e.caller_ip);
  w.member("correlation_id", e.correlation_id);
  w.member("event_id", e.event_id);
}

void write_time(JsonWriter& w, record::Ticks t) {
  if (t == record::kNoTime) w.null();
  else w.value(record::format_time(t));
}

void write_issue_members(JsonWriter& w, const record::ReadIssue& e) {
  w.member("line", e.line);
  w.member("offset", e.offset);
  w.member("reason", e.reason);
}

void write_run_members(JsonWriter& w, const RunInfo& run, const double* elapsed_seconds) {
  w.member("schema_version", kSchemaVersion);
  w.key("tool");
  w.begin_object();
  w.member("name", "azdetect");
  w.member("version", run.tool_version);
  w.end_object();
  w.key("run");
  w.begin_object();
  w.member("arguments", run.arguments);
  w.member("started", run.started);
  if (elapsed_seconds) {
    w.member("elapsed_seconds", *elapsed_seconds);
  }
  w.end_object();
}

void write_input_members(JsonWriter& w, const InputReport& in) {
  w.member("path", in.path);
  w.member("readable", in.readable);
  w.member("shape", in.shape);
  w.member("detail", in.detail);
  w.member("encoding", in.encoding);
  w.member("gzip", in.gzip);
  w.member("activity_log", in.activity_log);
  w.member("bytes", in.bytes);
  w.member("records", in.records);
  w.member("events", in.events);
  w.member("skipped", in.skipped);
  w.member("duplicates", in.duplicates);
  w.member("out_of_range", in.out_of_range);
  w.member("error_count", in.error_count);
  w.key("errors");
  w.begin_array();
  for (const record::ReadIssue& e : in.errors) {
    w.begin_object();
    write_issue_members(w, e);
    w.end_object();
  }
  w.end_array();
}

void write_rule_members(JsonWriter& w, const catalog::Detection& r) {
  w.member("id", r.id);
  w.member("title", r.title);
  w.member("severity", catalog::severity_name(r.severity));
  w.member("tags", r.tags);
  w.key("attack");
  w.begin_object();
  w.member("tactics", r.attack.tactics);
  w.member("techniques", r.attack.techniques);
  w.end_object();
}

void write_finding_members(JsonWriter& w, const engine::Finding& f) {
  const catalog::Detection& r = *f.rule;
  w.member("id", f.fingerprint);
  if (f.suppressed) {  // only printed with --show-suppressed
    w.member("suppressed", true);
    w.member("suppression_reason", f.suppression_reason);
  }
  w.key("rule");
  w.begin_object();
  write_rule_members(w, r);
  w.end_object();
  w.key("first_time");
  write_time(w, f.first);
  w.key("last_time");
  write_time(w, f.last);
  w.member("count", f.count);
  w.key("group");
  w.begin_object();
  for (const auto& [field, value] : f.group) {
    w.member(field, value);
  }
  w.end_object();
  w.member("operation", f.operation);
  w.member("status", f.status);
  w.member("subscription", f.subscription);
  w.member("resource_group", f.resource_group);
  w.member("resources", f.resources);
  w.member("callers", f.callers);
  w.member("caller_ips", f.caller_ips);
  w.member("correlation_ids", f.correlation_ids);
  w.member("app_ids", f.app_ids);
  w.member("cascaded_resources", f.cascaded_resources);
  w.member("evidence_total", f.evidence_total);
  w.key("evidence");
  w.begin_array();
  for (const engine::Evidence& e : f.evidence) {
    w.begin_object();
    write_evidence_members(w, e);
    w.end_object();
  }
  w.end_array();
  w.key("remediation");
  w.begin_object();
  write_remediation_members(w, r.remediation, &f);
  w.end_object();
}

void write_summary_members(JsonWriter& w, const Summary& s) {
  w.member("files", s.files);
  w.member("unreadable_files", s.unreadable);
  w.member("inputs_with_errors", s.inputs_with_errors);
  w.member("bytes", s.bytes);
  w.member("records", s.records);
  w.member("events", s.events);
  w.member("skipped", s.skipped);
  w.member("out_of_range", s.out_of_range);
  w.member("operations", s.operations);
  w.key("first_event_time");
  write_time(w, s.first_event);
  w.key("last_event_time");
  write_time(w, s.last_event);
  w.member("findings", s.findings);
  w.key("by_severity");
  w.begin_object();
  for (int i = 4; i >= 0; --i) {
    w.member(catalog::severity_name(static_cast<catalog::Severity>(i)), s.by_severity[i]);
  }
  w.end_object();
  w.member("suppressed", s.suppressed);
  w.member("duplicates_dropped", s.duplicates_dropped);
  write_counts(w, "top_rules", s.top_rules);
  write_counts(w, "top_callers", s.top_callers);
  w.member("elapsed_seconds", s.elapsed_seconds);
  w.member("mb_per_second", s.bytes_per_second() / 1e6);
  w.member("events_per_second", s.events_per_second());
}

}  // namespace azd::report::detail
