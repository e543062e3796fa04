#include "base/text.h"

#include <emmintrin.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

namespace azd::base {

bool iequals(std::string_view a, std::string_view b) {
  const std::size_t n = a.size();
  if (n != b.size()) return false;
  if (n < 8) {
    for (std::size_t i = 0; i < n; ++i) {
      if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
  }
  // Eight bytes at a time; the last word overlaps the one before when n is not a multiple.
  auto word = [](const char* p) {
    std::uint64_t v;
    std::memcpy(&v, p, 8);
    return lower_word(v);
  };
  for (std::size_t i = 0; i + 8 <= n; i += 8) {
    if (word(a.data() + i) != word(b.data() + i)) return false;
  }
  return word(a.data() + n - 8) == word(b.data() + n - 8);
}

bool istarts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

bool iends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && iequals(s.substr(s.size() - suffix.size()), suffix);
}

bool icontains(std::string_view haystack, std::string_view needle_lower) {
  if (needle_lower.empty()) return true;
  if (haystack.size() < needle_lower.size()) return false;
  const std::size_t last = haystack.size() - needle_lower.size();
  const char first = needle_lower[0];
  for (std::size_t i = 0; i <= last; ++i) {
    if (lower(haystack[i]) != first) continue;
    std::size_t k = 1;
    while (k < needle_lower.size() && lower(haystack[i + k]) == needle_lower[k]) ++k;
    if (k == needle_lower.size()) return true;
  }
  return false;
}

std::string to_lower(std::string_view s) {
  std::string out;
  assign_lower(&out, s);
  return out;
}

void assign_lower(std::string* out, std::string_view s) {
  out->resize(s.size());
  char* dst = out->data();
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    w = lower_word(w);
    std::memcpy(dst + i, &w, 8);
  }
  for (; i < s.size(); ++i) dst[i] = lower(s[i]);
}

bool glob_match(std::string_view pattern, std::string_view text, bool case_insensitive) {
  // Iterative matcher with one backtrack point: linear for patterns with a single star and
  // never exponential, so a hostile pattern in a suppressions file cannot hang a scan.
  std::size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  auto same = [&](char a, char b) { return case_insensitive ? lower(a) == lower(b) : a == b; };
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || same(pattern[p], text[t]))) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

std::string escape_for_terminal(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != 0x7f) {
      // C1 controls (U+0080..U+009F, UTF-8 C2 80..C2 9F) include CSI (U+009B), which some
      // terminals honour as ESC [.
      if (c == 0xC2 && i + 1 < s.size()) {
        const auto next = static_cast<unsigned char>(s[i + 1]);
        if (next >= 0x80 && next <= 0x9F) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", next);
          out += buf;
          ++i;
          continue;
        }
      }
      // Bidirectional controls (U+200E/F, U+202A..E, U+2066..9; UTF-8 E2 80 8E/8F,
      // E2 80 AA..AE, E2 81 A6..A9) reorder what is shown: "admin<RLO>moc.live" would
      // read as another caller. They are escaped like the C1 controls.
      if (c == 0xE2 && i + 2 < s.size()) {
        const auto b1 = static_cast<unsigned char>(s[i + 1]), b2 = static_cast<unsigned char>(s[i + 2]);
        if ((b1 == 0x80 && (b2 == 0x8E || b2 == 0x8F || (b2 >= 0xAA && b2 <= 0xAE))) ||
            (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9)) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", ((c & 0x0Fu) << 12) | ((b1 & 0x3Fu) << 6) | (b2 & 0x3Fu));
          out += buf;
          i += 2;
          continue;
        }
      }
      out.push_back(static_cast<char>(c));
      continue;
    }
    switch (c) {
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\x%02x", c);
        out += buf;
      }
    }
  }
  return out;
}

std::uint64_t fnv1a(std::string_view s, std::uint64_t seed) {
  std::uint64_t h = seed;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

namespace {

std::uint64_t mix(std::uint64_t a, std::uint64_t b) {
  // 64x64 -> 128-bit multiply, folded: every input bit reaches every output bit.
  __extension__ using U128 = unsigned __int128;  // GCC and Clang; one MUL on x86-64
  const U128 p = static_cast<U128>(a) * b;
  return static_cast<std::uint64_t>(p) ^ static_cast<std::uint64_t>(p >> 64);
}

std::uint64_t load64(const char* p) {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

std::uint64_t process_seed() {
  static const std::uint64_t seed = [] {
    std::random_device rd;
    return (static_cast<std::uint64_t>(rd()) << 32) ^ rd() ^ 0x9e3779b97f4a7c15ULL;
  }();
  return seed;
}

}  // namespace

void find_all(std::string_view s, char c, std::vector<std::uint32_t>* at) {
  std::size_t i = 0;
  for (; i + 64 <= s.size(); i += 64) find_in_64(Bytes64(s.data() + i), c, i, at);
  for (; i < s.size(); ++i) {
    if (s[i] == c) at->push_back(static_cast<std::uint32_t>(i));
  }
}

std::uint64_t find_newlines(std::string_view block, std::vector<std::uint32_t>* at) {
  at->clear();
  if (block.size() > UINT32_MAX) return count_byte(block, '\n');
  find_all(block, '\n', at);
  return at->size();
}

std::uint64_t count_byte(std::string_view s, char c) {
  // Per-byte counters (0 - 0xFF per match) summed with SAD every 255 steps, before any can
  // wrap: no popcount, which without -mpopcnt is a libgcc call per step.
  std::uint64_t n = 0;
  std::size_t i = 0;
  const __m128i want = _mm_set1_epi8(c);
  const __m128i zero = _mm_setzero_si128();
  while (i + 16 <= s.size()) {
    const std::size_t steps = std::min<std::size_t>((s.size() - i) / 16, 255);
    __m128i counts = zero;
    std::size_t k = 0;
    // Four loads per step: newline counting runs over every byte of JSON Lines input.
    for (; k + 4 <= steps; k += 4, i += 64) {
      const char* p = s.data() + i;
      const __m128i a = _mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), want);
      const __m128i b = _mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16)), want);
      const __m128i c2 = _mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 32)), want);
      const __m128i d = _mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 48)), want);
      counts = _mm_sub_epi8(counts, _mm_add_epi8(_mm_add_epi8(a, b), _mm_add_epi8(c2, d)));
    }
    for (; k < steps; ++k, i += 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
      counts = _mm_sub_epi8(counts, _mm_cmpeq_epi8(v, want));
    }
    const __m128i sums = _mm_sad_epu8(counts, zero);
    n += static_cast<std::uint64_t>(_mm_cvtsi128_si32(sums)) +
         static_cast<std::uint64_t>(_mm_cvtsi128_si32(_mm_srli_si128(sums, 8)));
  }
  for (; i < s.size(); ++i) n += s[i] == c;
  return n;
}

std::uint64_t hash_bytes(std::string_view s) {
  constexpr std::uint64_t k0 = 0xa0761d6478bd642fULL, k1 = 0xe7037ed1a0b428dbULL,
                          k2 = 0x8ebc6af09c88c6e3ULL, k3 = 0x589965cc75374cc3ULL;
  const char* p = s.data();
  std::size_t n = s.size();
  std::uint64_t a = process_seed() ^ k0, b = a ^ k1, c = a ^ k2, d = a ^ k3;
  // Four independent lanes of 16 bytes, so the multiplies overlap in the pipeline; each
  // multiply takes two words: one XOR a constant, one XOR the lane's (secret, seeded) state.
  // Neither factor can be made zero from log text, which would erase what came before:
  // the constants are not valid UTF-8 (all decoded text is), and the state is not known.
  while (n >= 64) {
    a = mix(load64(p) ^ k0, load64(p + 8) ^ a);
    b = mix(load64(p + 16) ^ k1, load64(p + 24) ^ b);
    c = mix(load64(p + 32) ^ k2, load64(p + 40) ^ c);
    d = mix(load64(p + 48) ^ k3, load64(p + 56) ^ d);
    p += 64;
    n -= 64;
  }
  std::uint64_t h = a ^ mix(b, k1) ^ mix(c, k2) ^ mix(d, k3);
  while (n >= 8) {
    h = mix(load64(p) ^ k1, h ^ k0);
    p += 8;
    n -= 8;
  }
  if (n > 0) {
    std::uint64_t tail = 0;
    std::memcpy(&tail, p, n);
    h = mix(tail ^ k2, h ^ (static_cast<std::uint64_t>(n) << 56) ^ k3);
  }
  return mix(h ^ s.size(), k0 ^ k1);
}

}  // namespace azd::base
