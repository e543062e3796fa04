#include "record/json_scan.h"

#include <emmintrin.h>

#include <algorithm>
#include <cstdint>
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

namespace {

// Where the 64 bytes at `p` hold each kind of byte the scanner cares about (bit k: byte k).
struct BlockMasks {
  std::uint64_t quote = 0, backslash = 0, open = 0, close = 0;
};

inline BlockMasks classify(const char* p) {
  // '[' and '{' differ only in bit 0x20, as do ']' and '}': one compare each after OR-ing it in.
  const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), open = _mm_set1_epi8('{'),
                close = _mm_set1_epi8('}'), case_bit = _mm_set1_epi8(0x20);
  BlockMasks m;
  for (int k = 0; k < 4; ++k) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
    const __m128i folded = _mm_or_si128(v, case_bit);
    auto bits = [k](__m128i eq) {
      return static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm_movemask_epi8(eq))) << (16 * k);
    };
    m.quote |= bits(_mm_cmpeq_epi8(v, quote));
    m.backslash |= bits(_mm_cmpeq_epi8(v, backslash));
    m.open |= bits(_mm_cmpeq_epi8(folded, open));
    m.close |= bits(_mm_cmpeq_epi8(folded, close));
  }
  return m;
}

// Bit k = XOR of bits 0..k: from an opening quote up to, not including, its closing quote.
inline std::uint64_t prefix_xor(std::uint64_t x) {
  x ^= x << 1;
  x ^= x << 2;
  x ^= x << 4;
  x ^= x << 8;
  x ^= x << 16;
  x ^= x << 32;
  return x;
}

// The byte-at-a-time definition of where an object or array starting at `i` ends: strings
// are skipped with their escapes, brackets counted outside them. The block scanner below
// computes the same thing 64 bytes at a time, and falls back here for the one input it
// cannot: a backslash outside any string (never in valid JSON).
std::size_t nested_end_slow(std::string_view text, std::size_t i) {
  std::size_t depth = 0;
  while (i < text.size()) {
    i = find_any(text, i, kNestingStops);
    if (i >= text.size()) break;
    const char c = text[i];
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

// Objects and arrays are most of the bytes the splitter sees (a 3 KB az CLI record holds
// a few hundred strings): stopping at every quote cost more than classifying all 64 bytes
// of a block at once. Per block: quote, backslash and bracket masks; the bytes escaped by
// runs of backslashes; which bytes are inside strings (prefix XOR of the unescaped
// quotes); then only the brackets outside strings are visited, in order, to track depth.
std::size_t nested_end(std::string_view text, std::size_t i) {
  const std::size_t start = i;
  std::size_t depth = 0;
  std::uint64_t escape_carry = 0;   // 1: the block's first byte is escaped
  std::uint64_t string_carry = 0;   // all ones: the block starts inside a string
  alignas(16) char tail[64];
  for (std::size_t base = i; base < text.size(); base += 64) {
    const std::size_t n = std::min<std::size_t>(64, text.size() - base);
    const char* p = text.data() + base;
    if (n < 64) {
      // The last block: copied, so nothing past the text is read; the spaces after it hold
      // no quote, backslash or bracket.
      std::memset(tail, ' ', sizeof tail);
      std::memcpy(tail, p, n);
      p = tail;
    }
    const BlockMasks m = classify(p);
    std::uint64_t escaped = escape_carry;
    std::uint64_t starters = 0;  // backslashes that escape the byte after them
    escape_carry = 0;
    for (std::uint64_t b = m.backslash & ~escaped; b != 0; b &= b - 1) {
      const unsigned k = static_cast<unsigned>(__builtin_ctzll(b));
      const std::uint64_t bit = std::uint64_t{1} << k;
      if (escaped & bit) continue;  // an escaped backslash escapes nothing
      starters |= bit;
      if (k == 63) escape_carry = 1;
      else escaped |= bit << 1;
    }
    const std::uint64_t quotes = m.quote & ~escaped;
    const std::uint64_t in_string = prefix_xor(quotes) ^ string_carry;
    string_carry = static_cast<std::uint64_t>(static_cast<std::int64_t>(in_string) >> 63);
    if (starters & ~in_string) return nested_end_slow(text, start);
    const std::uint64_t open = m.open & ~in_string;
    const std::uint64_t close = m.close & ~in_string;
    for (std::uint64_t b = open | close; b != 0; b &= b - 1) {
      const std::uint64_t bit = b & (~b + 1);
      if (open & bit) {
        ++depth;
      } else if (--depth == 0) {
        return base + static_cast<std::size_t>(__builtin_ctzll(b)) + 1;
      }
    }
  }
  return std::string_view::npos;
}

}  // namespace

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
  return nested_end(text, i);
}

}  // namespace azd::record::detail
