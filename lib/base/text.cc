#include "base/text.h"

#include <cstdio>
#include <vector>

namespace azd::base {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
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
  std::string out(s);
  for (char& c : out) c = lower(c);
  return out;
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

}  // namespace azd::base
