// --format json: one document, written once the run is complete so it is always whole.
#include "report/json_writer.h"
#include "report/printers.h"

namespace azd::report::detail {
namespace {

void write_step_list(JsonWriter& w, std::string_view name, const std::vector<catalog::Step>& steps,
                     const engine::Finding& f) {
  w.key(name);
  w.begin_array();
  for (const catalog::Step& s : steps) {
    w.begin_object();
    w.key("text");
    w.value(fill_placeholders(s.text, f));
    if (!s.command.empty()) {
      w.key("command");
      w.value(fill_placeholders(s.command, f));
    }
    w.end_object();
  }
  w.end_array();
}

void write_time(JsonWriter& w, record::Ticks t) {
  if (t == record::kNoTime) w.null();
  else w.value(record::format_time(t));
}

class JsonPrinter final : public FindingSink {
 public:
  explicit JsonPrinter(std::FILE* out) : out_(out), w_(&text_, 2) {}

  void begin(const RunInfo& run) override {
    w_.begin_object();
    w_.key("schema_version");
    w_.value(kSchemaVersion);
    w_.key("tool");
    w_.begin_object();
    w_.key("name");
    w_.value("azdetect");
    w_.key("version");
    w_.value(run.tool_version);
    w_.end_object();
    w_.key("run");
    w_.begin_object();
    w_.key("arguments");
    w_.strings(run.arguments);
    w_.key("started");
    w_.value(run.started);
    w_.end_object();
    w_.key("inputs");
    w_.begin_array();
  }

  void input(const InputReport& in) override {
    w_.begin_object();
    w_.key("path");
    w_.value(in.path);
    w_.key("readable");
    w_.value(in.readable);
    w_.key("shape");
    w_.value(in.shape);
    w_.key("detail");
    w_.value(in.detail);
    w_.key("encoding");
    w_.value(in.encoding);
    w_.key("gzip");
    w_.value(in.gzip);
    w_.key("activity_log");
    w_.value(in.activity_log);
    w_.key("bytes");
    w_.value(in.bytes);
    w_.key("records");
    w_.value(in.records);
    w_.key("events");
    w_.value(in.events);
    w_.key("skipped");
    w_.value(in.skipped);
    w_.key("error_count");
    w_.value(in.error_count);
    w_.key("errors");
    w_.begin_array();
    for (const record::ReadIssue& e : in.errors) {
      w_.begin_object();
      w_.key("line");
      w_.value(e.line);
      w_.key("offset");
      w_.value(e.offset);
      w_.key("reason");
      w_.value(e.reason);
      w_.end_object();
    }
    w_.end_array();
    w_.end_object();
  }

  void finding(const engine::Finding& f) override {
    if (!in_findings_) {
      w_.end_array();
      w_.key("findings");
      w_.begin_array();
      in_findings_ = true;
    }
    const catalog::Detection& r = *f.rule;
    w_.begin_object();
    w_.key("id");
    w_.value(f.fingerprint);
    if (f.suppressed) {  // only printed with --show-suppressed; absent otherwise
      w_.key("suppressed");
      w_.value(true);
      w_.key("suppression_reason");
      w_.value(f.suppression_reason);
    }
    w_.key("rule");
    w_.begin_object();
    w_.key("id");
    w_.value(r.id);
    w_.key("title");
    w_.value(r.title);
    w_.key("severity");
    w_.value(catalog::severity_name(r.severity));
    w_.key("tags");
    w_.strings(r.tags);
    w_.key("attack");
    w_.begin_object();
    w_.key("tactics");
    w_.strings(r.attack.tactics);
    w_.key("techniques");
    w_.strings(r.attack.techniques);
    w_.end_object();
    w_.end_object();
    w_.key("first_time");
    write_time(w_, f.first);
    w_.key("last_time");
    write_time(w_, f.last);
    w_.key("count");
    w_.value(f.count);
    w_.key("group");
    w_.begin_object();
    for (const auto& [field, value] : f.group) {
      w_.key(field);
      w_.value(value);
    }
    w_.end_object();
    w_.key("operation");
    w_.value(f.operation);
    w_.key("status");
    w_.value(f.status);
    w_.key("subscription");
    w_.value(f.subscription);
    w_.key("resource_group");
    w_.value(f.resource_group);
    w_.key("resources");
    w_.strings(f.resources);
    w_.key("callers");
    w_.strings(f.callers);
    w_.key("caller_ips");
    w_.strings(f.caller_ips);
    w_.key("correlation_ids");
    w_.strings(f.correlation_ids);
    w_.key("evidence_total");
    w_.value(f.evidence_total);
    w_.key("evidence");
    w_.begin_array();
    for (const engine::Evidence& e : f.evidence) {
      w_.begin_object();
      w_.key("file");
      w_.value(e.input);
      w_.key("line");
      w_.value(e.line);
      w_.key("offset");
      w_.value(e.offset);
      w_.key("time");
      write_time(w_, e.time);
      w_.key("operation");
      w_.value(e.operation);
      w_.key("status");
      w_.value(e.status);
      w_.key("substatus");
      w_.value(e.substatus);
      w_.key("resource_id");
      w_.value(e.resource_id);
      w_.key("caller");
      w_.value(e.caller);
      w_.key("caller_ip");
      w_.value(e.caller_ip);
      w_.key("correlation_id");
      w_.value(e.correlation_id);
      w_.key("event_id");
      w_.value(e.event_id);
      w_.end_object();
    }
    w_.end_array();
    w_.key("remediation");
    w_.begin_object();
    w_.key("summary");
    w_.value(fill_placeholders(r.remediation.summary, f));
    w_.key("why");
    w_.value(r.remediation.why);
    write_step_list(w_, "triage", r.remediation.triage, f);
    write_step_list(w_, "containment", r.remediation.containment, f);
    write_step_list(w_, "recovery", r.remediation.recovery, f);
    write_step_list(w_, "prevention", r.remediation.prevention, f);
    w_.end_object();
    w_.end_object();
  }

  void end(const Summary& s) override {
    if (!in_findings_) {
      w_.end_array();
      w_.key("findings");
      w_.begin_array();
    }
    w_.end_array();
    w_.key("summary");
    w_.begin_object();
    w_.key("files");
    w_.value(s.files);
    w_.key("unreadable_files");
    w_.value(s.unreadable);
    w_.key("bytes");
    w_.value(s.bytes);
    w_.key("records");
    w_.value(s.records);
    w_.key("events");
    w_.value(s.events);
    w_.key("skipped");
    w_.value(s.skipped);
    w_.key("operations");
    w_.value(s.operations);
    w_.key("findings");
    w_.value(s.findings);
    w_.key("by_severity");
    w_.begin_object();
    for (int i = 4; i >= 0; --i) {
      w_.key(catalog::severity_name(static_cast<catalog::Severity>(i)));
      w_.value(s.by_severity[i]);
    }
    w_.end_object();
    w_.end_object();
    w_.end_object();
    text_.push_back('\n');
    write_all(out_, text_);
  }

 private:
  std::FILE* out_;
  std::string text_;
  JsonWriter w_;
  bool in_findings_ = false;
};

}  // namespace

std::unique_ptr<FindingSink> make_json_printer(const PrinterOptions&, std::FILE* out) {
  return std::make_unique<JsonPrinter>(out);
}

bool write_all(std::FILE* f, std::string_view s) {
  return std::fwrite(s.data(), 1, s.size(), f) == s.size() && std::fflush(f) == 0;
}

}  // namespace azd::report::detail
