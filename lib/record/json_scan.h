// Internal to record/: a structural scanner that finds where a JSON value ends without
// parsing it. It lets the reader split arrays and envelopes into one small document per
// record, so memory stays flat however large the file is, and nesting depth costs nothing.
#pragma once

#include <cstddef>
#include <string_view>

namespace azd::record::detail {

/// Index of the first non-whitespace byte at or after `i` (text.size() when none).
std::size_t skip_ws(std::string_view text, std::size_t i);

/// Given `i` at the first byte of a JSON value, returns the index one past its end, or
/// npos when the text ends first (a truncated value). Strings are skipped with their
/// escapes; objects and arrays by bracket depth, which is not checked for balance. Always
/// greater than `i` when not npos: a stray `,` `}` `]` counts as a one-byte value.
std::size_t value_end(std::string_view text, std::size_t i);

/// Given `i` at an opening quote, returns the index one past the closing quote (or npos).
std::size_t string_end(std::string_view text, std::size_t i);

}  // namespace azd::record::detail
