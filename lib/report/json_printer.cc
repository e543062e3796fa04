// --format json: one document, written once the run is complete so it is always whole, and
// --format jsonl: one object per line, streamed, each with a "type" first. Both use the
// member writers of json_fields.h, so a field has the same name and form in each.
#include "report/json_fields.h"
#include "report/printers.h"

namespace azd::report::detail {
namespace {

class JsonPrinter final : public DocumentPrinter {
 public:
  using DocumentPrinter::DocumentPrinter;

  void end(const Summary& s) override {
    std::string text;
    JsonWriter w(&text, 2);
    w.begin_object();
    write_run_members(w, run_, &s.elapsed_seconds);
    w.key("inputs");
    w.begin_array();
    for (const InputReport* in : inputs_) {
      w.begin_object();
      write_input_members(w, *in);
      w.end_object();
      spill(&text);
    }
    w.end_array();
    w.key("findings");
    w.begin_array();
    for (const engine::Finding* f : findings_) {
      w.begin_object();
      write_finding_members(w, *f);
      w.end_object();
      spill(&text);
    }
    w.end_array();
    w.key("summary");
    w.begin_object();
    write_summary_members(w, s);
    w.end_object();
    w.end_object();
    text.push_back('\n');
    emit(out_, text);
  }
};

class JsonlPrinter final : public FindingSink {
 public:
  explicit JsonlPrinter(std::FILE* out) : out_(out) {}

  void begin(const RunInfo& run) override {
    line("run", [&](JsonWriter& w) { write_run_members(w, run, nullptr); });
  }

  void input(const InputReport& in) override {
    line("input", [&](JsonWriter& w) { write_input_members(w, in); });
    // Each problem also gets its own line, so `select(.type == "error")` finds every reason
    // the result may be incomplete; "fatal" marks an input that was not read at all.
    for (const record::ReadIssue& e : in.errors) {
      line("error", [&](JsonWriter& w) {
        w.member("path", in.path);
        w.member("fatal", !in.readable);
        write_issue_members(w, e);
      });
    }
  }

  void finding(const engine::Finding& f) override {
    line("finding", [&](JsonWriter& w) { write_finding_members(w, f); });
  }

  void end(const Summary& s) override {
    line("summary", [&](JsonWriter& w) { write_summary_members(w, s); });
  }

 private:
  template <class Members>
  void line(std::string_view type, const Members& members) {
    text_.clear();
    append_jsonl_line(&text_, type, members);
    emit(out_, text_);
  }

  std::FILE* out_;
  std::string text_;
};

}  // namespace

std::unique_ptr<FindingSink> make_json_printer(const PrinterOptions&, std::FILE* out) {
  return std::make_unique<JsonPrinter>(out);
}

std::unique_ptr<FindingSink> make_jsonl_printer(const PrinterOptions&, std::FILE* out) {
  return std::make_unique<JsonlPrinter>(out);
}

}  // namespace azd::report::detail
