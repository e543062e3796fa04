#include "record/json_scan.h"

#include <emmintrin.h>

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

namespace {

// The first byte at or after `i` equal to one of the `N` bytes in `want`, or text.size().
// Sixteen bytes per step with SSE2 (in every x86-64 CPU): the splitter runs over every byte
// of array and envelope inputs, and byte-at-a-time scanning was most of its cost.
template <std::size_t N>
std::size_t find_any(std::string_view text, std::size_t i, const char (&want)[N]) {
  const char* p = text.data();
  const std::size_t n = text.size();
  __m128i w[N];
  for (std::size_t k = 0; k < N; ++k) w[k] = _mm_set1_epi8(want[k]);
  while (i + 16 <= n) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    __m128i hit = _mm_cmpeq_epi8(v, w[0]);
    for (std::size_t k = 1; k < N; ++k) hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, w[k]));
    const int mask = _mm_movemask_epi8(hit);
    if (mask != 0) return i + static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
    i += 16;
  }
  for (; i < n; ++i) {
    for (char c : want) {
      if (p[i] == c) return i;
    }
  }
  return n;
}

constexpr char kStringStops[] = {'"', '\\'};
constexpr char kNestingStops[] = {'"', '{', '}', '[', ']'};

}  // namespace

std::size_t string_end(std::string_view text, std::size_t i) {
  ++i;  // opening quote
  while (i < text.size()) {
    i = find_any(text, i, kStringStops);
    if (i >= text.size()) break;
    if (text[i] == '"') return i + 1;
    i += 2;  // a backslash escapes the byte after it
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
    i = find_any(text, i, kNestingStops);
    if (i >= text.size()) break;
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
