// base: small text helpers every module may use (ASCII case folding, globbing, escaping for
// terminals). No dependencies, no state. Anything that knows about events, rules or output
// formats belongs in its own module instead.
#pragma once

#include <emmintrin.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace azd::base {

/// ASCII lower case of one byte; other bytes unchanged.
constexpr char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c; }

/// lower() on the eight bytes of a word at once (SWAR), for the loops that fold every key of
/// every record: only bytes 'A'..'Z' change.
constexpr std::uint64_t lower_word(std::uint64_t x) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
  const std::uint64_t seven = x & ~kHigh;  // adding to 7-bit bytes never carries across bytes
  const std::uint64_t upper = (seven + kOnes * (0x80 - 'A')) & ~(seven + kOnes * (0x80 - 'Z' - 1)) & ~x & kHigh;
  return x | (upper >> 2);  // 0x80 >> 2 is the case bit 0x20
}

/// The bytes of `x` equal to `c`, as the high bit of each (SWAR). Only the lowest flagged
/// byte is exact (a borrow can flag a byte above a match), which is all "is there one" and
/// "where is the first" need.
constexpr std::uint64_t bytes_equal(std::uint64_t x, char c) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
  const std::uint64_t u = x ^ (kOnes * static_cast<unsigned char>(c));
  return (u - kOnes) & ~u & kHigh;
}

/// ASCII case-insensitive equality (Azure names are ASCII; other bytes must match exactly).
bool iequals(std::string_view a, std::string_view b);
bool istarts_with(std::string_view s, std::string_view prefix);
bool iends_with(std::string_view s, std::string_view suffix);
/// Case-insensitive substring search; `needle_lower` must already be lower case.
bool icontains(std::string_view haystack, std::string_view needle_lower);
std::string to_lower(std::string_view s);
/// Sets *out to to_lower(s) in out's own buffer, eight bytes at a time: for the per-event
/// folds, which should not allocate.
void assign_lower(std::string* out, std::string_view s);

/// Glob match with `*` (any run) and `?` (one byte), optionally ASCII case-insensitive.
bool glob_match(std::string_view pattern, std::string_view text, bool case_insensitive);

/// Makes untrusted text safe to print on a terminal: C0/C1 controls, DEL and ESC become
/// visible escapes (`\x1b`, `\n`, `\u009b`), so log bytes can never drive the terminal;
/// bidirectional overrides (U+202E, ...) too, so they cannot disguise what is shown.
std::string escape_for_terminal(std::string_view s);

/// 64-bit FNV-1a, for stable fingerprints (identical across runs and platforms).
std::uint64_t fnv1a(std::string_view s, std::uint64_t seed = 0xcbf29ce484222325ULL);

/// How many times `c` occurs in `s` (16 bytes per step: lines of a block of JSON Lines).
std::uint64_t count_byte(std::string_view s, char c);

/// Appends the offset of every `c` in `s` to `at`, in order; `s` must be shorter than
/// 4 GiB. One pass, 64 bytes per step: the newlines of a block of JSON Lines, found once
/// for both its line count and its records.
void find_all(std::string_view s, char c, std::vector<std::uint32_t>* at);

/// 64 bytes as four SSE2 vectors, for loops that test the same bytes more than one way.
struct Bytes64 {
  __m128i v[4];
  explicit Bytes64(const void* p) {
    const auto* q = static_cast<const __m128i*>(p);
    for (int i = 0; i < 4; ++i) v[i] = _mm_loadu_si128(q + i);
  }
};

/// One step of find_all(): appends `offset + i` to `at` for every byte i of `b` equal to
/// `c`. (The UTF-8 check takes its 64 ASCII bytes' newlines with it, from the same loads.)
inline void find_in_64(const Bytes64& b, char c, std::size_t offset, std::vector<std::uint32_t>* at) {
  const __m128i want = _mm_set1_epi8(c);
  auto mask16 = [&](int i) {
    return static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(b.v[i], want))));
  };
  std::uint64_t m = mask16(0) | mask16(1) << 16 | mask16(2) << 32 | mask16(3) << 48;
  while (m != 0) {
    at->push_back(static_cast<std::uint32_t>(offset + static_cast<std::size_t>(__builtin_ctzll(m))));
    m &= m - 1;
  }
}

/// The newlines of a block of JSON Lines: their offsets into `at` (cleared first) for the
/// reader to cut records at, and how many there are. A block of 4 GiB or more (one line that
/// long) is only counted and `at` left empty: its offsets do not fit, and the reader finds
/// its own way through such a block (Reader::read_lines_block ignores the offsets).
std::uint64_t find_newlines(std::string_view block, std::vector<std::uint32_t>* at);

/// A fast 64-bit hash of bytes for in-memory keys (duplicate detection hashes every event
/// it sees, whole records where there is no event id). Not for anything printed: keys are
/// salted with a per-process random seed, so a record crafted to collide with another one
/// cannot be prepared in advance to hide it as a "duplicate".
std::uint64_t hash_bytes(std::string_view s);

}  // namespace azd::base
