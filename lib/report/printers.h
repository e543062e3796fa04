// Internal to report/: one factory per printer, so report.cc can choose without knowing them.
#pragma once

#include <cstdio>
#include <memory>

#include "report/report.h"

namespace azd::report::detail {

std::unique_ptr<FindingSink> make_table_printer(const PrinterOptions& options, std::FILE* out, std::FILE* err);
std::unique_ptr<FindingSink> make_json_printer(const PrinterOptions& options, std::FILE* out);

/// Writes all of `s` to `f`; false on a write error (EPIPE included).
bool write_all(std::FILE* f, std::string_view s);

}  // namespace azd::report::detail
