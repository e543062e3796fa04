#include "record/json_scan.h"

#include <cstring>

namespace azd::record::detail {

std::size_t skip_ws(std::string_view text, std::size_t i) {
  while (i < text.size()) {
    char c = text[i];
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t') break;
    ++i;
  }
  return i;
}

std::size_t string_end(std::string_view text, std::size_t i) {
  ++i;  // opening quote
  while (i < text.size()) {
    // Jump to the next quote or backslash; both are rare inside Activity Log strings.
    const void* q = std::memchr(text.data() + i, '"', text.size() - i);
    if (!q) return std::string_view::npos;
    std::size_t quote = static_cast<std::size_t>(static_cast<const char*>(q) - text.data());
    // Count the backslashes right before the quote: an odd number escapes it.
    std::size_t k = quote;
    while (k > i && text[k - 1] == '\\') --k;
    if ((quote - k) % 2 == 0) return quote + 1;
    i = quote + 1;
  }
  return std::string_view::npos;
}

std::size_t value_end(std::string_view text, std::size_t i) {
  if (i >= text.size()) return std::string_view::npos;
  char c = text[i];
  if (c == '"') return string_end(text, i);
  if (c != '{' && c != '[') {
    // A scalar ends at the first delimiter. A stray delimiter where a value should start
    // (`[}`, `{..} }`) is taken as a one-byte value, so every walker moves forward and
    // reports it instead of looping on it.
    const std::size_t start = i;
    while (i < text.size()) {
      c = text[i];
      if (c == ',' || c == '}' || c == ']' || c == ' ' || c == '\n' || c == '\r' || c == '\t') break;
      ++i;
    }
    return i == start ? start + 1 : i;
  }
  std::size_t depth = 0;
  while (i < text.size()) {
    c = text[i];
    if (c == '"') {
      i = string_end(text, i);
      if (i == std::string_view::npos) return i;
      continue;
    }
    if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (--depth == 0) return i + 1;
    }
    ++i;
  }
  return std::string_view::npos;
}

}  // namespace azd::record::detail
