// Internal to report/: one factory per printer, so report.cc can choose without knowing them.
#pragma once

#include <cstdio>
#include <memory>

#include "report/report.h"

namespace azd::report::detail {

/// A printer that writes one whole document at end(), so it keeps what it is given until then.
class DocumentPrinter : public FindingSink {
 public:
  explicit DocumentPrinter(std::FILE* out) : out_(out) {}
  void begin(const RunInfo& run) override { run_ = run; }
  void input(const InputReport& in) override { inputs_.push_back(&in); }
  void finding(const engine::Finding& f) override { findings_.push_back(&f); }

 protected:
  // Writes out the document so far once it is large, so a report of many findings goes out
  // in pieces rather than built whole: with its string's regrowth (copies into fresh pages),
  // writing 275 findings took 12-13 ms on one thread after all the reading; now 2-3 ms.
  void spill(std::string* text) {
    if (text->size() < kSpillBytes) return;
    emit(out_, *text);
    text->clear();
  }
  static constexpr std::size_t kSpillBytes = std::size_t{64} << 10;

  std::FILE* out_;
  RunInfo run_;
  std::vector<const InputReport*> inputs_;
  std::vector<const engine::Finding*> findings_;
};

std::unique_ptr<FindingSink> make_table_printer(const PrinterOptions& options, std::FILE* out, std::FILE* err);
std::unique_ptr<FindingSink> make_json_printer(const PrinterOptions& options, std::FILE* out);
std::unique_ptr<FindingSink> make_jsonl_printer(const PrinterOptions& options, std::FILE* out);
std::unique_ptr<FindingSink> make_csv_printer(const PrinterOptions& options, std::FILE* out);
std::unique_ptr<FindingSink> make_sarif_printer(const PrinterOptions& options, std::FILE* out);

/// Writes all of `s` to `f` and flushes. Returns 0, or the errno of the failure.
int write_text(std::FILE* f, std::string_view s);

}  // namespace azd::report::detail
