// --format sarif: SARIF 2.1.0 for code-scanning dashboards and SIEM import. The rules that
// fired go to tool.driver.rules (sorted by id), each finding becomes a result whose logical
// location is the Azure resource and whose partialFingerprints carry the stable finding id,
// so re-uploading the same scan does not create new alerts.
#include <algorithm>
#include <map>

#include "report/json_fields.h"
#include "report/printers.h"

namespace azd::report::detail {
namespace {

// SARIF has three result levels; critical and high must block, medium warns, the rest inform.
std::string_view sarif_level(catalog::Severity s) {
  switch (s) {
    case catalog::Severity::critical:
    case catalog::Severity::high: return "error";
    case catalog::Severity::medium: return "warning";
    case catalog::Severity::low:
    case catalog::Severity::info: return "note";
  }
  return "note";
}

// GitHub code scanning reads this 0-10 score to rank security results.
std::string_view security_severity(catalog::Severity s) {
  switch (s) {
    case catalog::Severity::critical: return "9.5";
    case catalog::Severity::high: return "8.0";
    case catalog::Severity::medium: return "5.5";
    case catalog::Severity::low: return "3.0";
    case catalog::Severity::info: return "0.0";
  }
  return "0.0";
}

void text_object(JsonWriter& w, std::string_view key, std::string_view text) {
  w.key(key);
  w.begin_object();
  w.member("text", text);
  w.end_object();
}

void write_driver_rule(JsonWriter& w, const catalog::Detection& r) {
  w.begin_object();
  w.member("id", r.id);
  w.member("name", r.title);
  text_object(w, "shortDescription", r.title);
  text_object(w, "fullDescription", r.description.empty() ? r.title : r.description);
  text_object(w, "help", r.remediation.why.empty() ? r.title : r.remediation.why);
  w.key("defaultConfiguration");
  w.begin_object();
  w.member("level", sarif_level(r.severity));
  w.end_object();
  w.key("properties");
  w.begin_object();
  w.member("severity", catalog::severity_name(r.severity));
  w.member("security-severity", security_severity(r.severity));
  w.member("tags", r.tags);
  w.member("attack_techniques", r.attack.techniques);
  w.end_object();
  w.end_object();
}

void write_result(JsonWriter& w, const engine::Finding& f, std::size_t rule_index) {
  const catalog::Detection& r = *f.rule;
  w.begin_object();
  w.member("ruleId", r.id);
  w.member("ruleIndex", static_cast<std::uint64_t>(rule_index));
  w.member("level", sarif_level(r.severity));
  text_object(w, "message", r.title + ": " + fill_placeholders(r.remediation.summary, f));
  w.key("locations");
  w.begin_array();
  w.begin_object();
  // The file and line of the first evidence record, when there is a file to point at.
  if (!f.evidence.empty() && f.evidence.front().input != "-") {
    const engine::Evidence& e = f.evidence.front();
    w.key("physicalLocation");
    w.begin_object();
    w.key("artifactLocation");
    w.begin_object();
    w.member("uri", e.input);
    w.end_object();
    if (e.line > 0) {
      w.key("region");
      w.begin_object();
      w.member("startLine", e.line);
      w.end_object();
    }
    w.end_object();
  }
  w.key("logicalLocations");
  w.begin_array();
  const std::string& resource = f.resource_id.empty() && !f.resources.empty() ? f.resources.front() : f.resource_id;
  w.begin_object();
  w.member("fullyQualifiedName", resource.empty() ? f.resource_group : resource);
  w.member("kind", "resource");
  w.end_object();
  w.end_array();
  w.end_object();
  w.end_array();
  w.key("partialFingerprints");
  w.begin_object();
  w.member("azdetectFindingId/v1", f.fingerprint);
  w.end_object();
  // Everything else a triager needs, with the same names as in --format json.
  w.key("properties");
  w.begin_object();
  write_finding_members(w, f);
  w.end_object();
  w.end_object();
}

class SarifPrinter final : public DocumentPrinter {
 public:
  using DocumentPrinter::DocumentPrinter;

  void end(const Summary& s) override {
    std::map<std::string, const catalog::Detection*> fired;
    for (const engine::Finding* f : findings_) fired.emplace(f->rule->id, f->rule);
    std::map<std::string, std::size_t> index;
    for (const auto& [id, rule] : fired) index.emplace(id, index.size());

    std::string text;
    JsonWriter w(&text, 2);
    w.begin_object();
    w.member("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
    w.member("version", "2.1.0");
    w.key("runs");
    w.begin_array();
    w.begin_object();
    w.key("tool");
    w.begin_object();
    w.key("driver");
    w.begin_object();
    w.member("name", "azdetect");
    w.member("version", run_.tool_version);
    w.key("rules");
    w.begin_array();
    for (const auto& [id, rule] : fired) write_driver_rule(w, *rule);
    w.end_array();
    w.end_object();
    w.end_object();
    w.key("invocations");
    w.begin_array();
    w.begin_object();
    w.member("executionSuccessful", s.unreadable == 0);
    w.member("arguments", run_.arguments);
    w.member("startTimeUtc", run_.started);
    w.key("toolExecutionNotifications");
    w.begin_array();
    for (const InputReport* in : inputs_) {
      if (in->readable) continue;
      w.begin_object();
      w.member("level", "error");
      text_object(w, "message", in->path + ": " + (in->errors.empty() ? std::string("not read") : in->errors.front().reason));
      w.end_object();
    }
    w.end_array();
    w.end_object();
    w.end_array();
    w.key("results");
    w.begin_array();
    for (const engine::Finding* f : findings_) {
      write_result(w, *f, index[f->rule->id]);
      spill(&text);
    }
    w.end_array();
    w.end_object();
    w.end_array();
    w.end_object();
    text.push_back('\n');
    emit(out_, text);
  }
};

}  // namespace

std::unique_ptr<FindingSink> make_sarif_printer(const PrinterOptions&, std::FILE* out) {
  return std::make_unique<SarifPrinter>(out);
}

}  // namespace azd::report::detail
