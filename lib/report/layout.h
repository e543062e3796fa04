// Internal to report/: laying out text in terminal columns, shared by the finding table and
// the search/summary tables. Cells passed here must already be escaped for the terminal.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace azd::report::detail {

/// Width in terminal columns, counting each UTF-8 code point as one.
std::size_t display_width(std::string_view s);
/// Cuts to `width` columns, marking the cut with "…" and never splitting a code point.
std::string fit(std::string_view s, std::size_t width);
/// Pads with spaces to `width` columns.
std::string pad(std::string s, std::size_t width);

/// Renders a header line and rows, two spaces between columns. Each column is as wide as its
/// widest cell, but at most caps[i] (0: no cap); the last column is not padded.
std::string render_columns(const std::vector<std::string>& headers, const std::vector<std::vector<std::string>>& rows,
                           const std::vector<std::size_t>& caps);

}  // namespace azd::report::detail
