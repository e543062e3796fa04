#include "report/json_writer.h"

#include <emmintrin.h>

#include <bit>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace azd::report::detail {
namespace {

// The bytes of the 16 at `p` that may need an escape, as a bit mask: C0 controls, '"', '\\',
// DEL, and 0xC2, which starts the C1 controls (U+0080-U+009F) in UTF-8. Every other byte
// is copied as it is.
unsigned special_bytes(const char* p) {
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  __m128i special = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1f)), v);  // v <= 0x1f, unsigned
  special = _mm_or_si128(special, _mm_cmpeq_epi8(v, _mm_set1_epi8('"')));
  special = _mm_or_si128(special, _mm_cmpeq_epi8(v, _mm_set1_epi8('\\')));
  special = _mm_or_si128(special, _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7f)));
  special = _mm_or_si128(special, _mm_cmpeq_epi8(v, _mm_set1_epi8(static_cast<char>(0xC2))));
  return static_cast<unsigned>(_mm_movemask_epi8(special));
}

// Where the run of plain bytes starting at `i` ends, 16 bytes per step. A report is mostly
// plain text (resource ids, names, times), and testing it a byte at a time was half of the
// time spent writing one (the 2.5 MB report of the 1 GB benchmark split into 2,000 files).
// The last few bytes are tested as a 16-byte copy padded with plain bytes: most strings are
// short.
std::size_t plain_run_end(std::string_view s, std::size_t i) {
  for (; i + 16 <= s.size(); i += 16) {
    const unsigned mask = special_bytes(s.data() + i);
    if (mask != 0) return i + static_cast<std::size_t>(std::countr_zero(mask));
  }
  if (i == s.size()) return i;
  char tail[16];
  std::memset(tail, 'a', sizeof tail);
  std::memcpy(tail, s.data() + i, s.size() - i);
  const unsigned mask = special_bytes(tail);
  return mask != 0 ? i + static_cast<std::size_t>(std::countr_zero(mask)) : s.size();
}

}  // namespace

void append_json_string(std::string* out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  // Bytes that need no escape are copied in runs (one append per run, not a capacity check
  // per byte).
  out->push_back('"');
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t j = plain_run_end(s, i);
    out->append(s.data() + i, j - i);
    if (j == s.size()) break;
    i = j;
    const auto c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"': *out += "\\\""; ++i; continue;
      case '\\': *out += "\\\\"; ++i; continue;
      case '\n': *out += "\\n"; ++i; continue;
      case '\r': *out += "\\r"; ++i; continue;
      case '\t': *out += "\\t"; ++i; continue;
      default: break;
    }
    if (c < 0x20 || c == 0x7f) {
      *out += "\\u00";
      out->push_back(kHex[c >> 4]);
      out->push_back(kHex[c & 0xF]);
    } else if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(s[i + 1]) <= 0x9F) {
      // C1 controls are escaped too, so `jq -r` output cannot carry a CSI to a terminal.
      const auto n = static_cast<unsigned char>(s[i + 1]);
      *out += "\\u00";
      out->push_back(kHex[n >> 4]);
      out->push_back(kHex[n & 0xF]);
      ++i;
    } else {
      out->push_back(static_cast<char>(c));  // 0xC2 starting another character
    }
    ++i;
  }
  out->push_back('"');
}

void JsonWriter::newline() {
  if (indent_ == 0) return;
  out_->push_back('\n');
  out_->append(stack_.size() * static_cast<std::size_t>(indent_), ' ');
}

void JsonWriter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!stack_.empty()) {
    if (!stack_.back().first) out_->push_back(',');
    stack_.back().first = false;
    newline();
  }
}

void JsonWriter::begin_object() {
  before_value();
  out_->push_back('{');
  stack_.push_back({true, true});
}

void JsonWriter::end_object() {
  const bool empty = stack_.back().first;
  stack_.pop_back();
  if (!empty) newline();
  out_->push_back('}');
}

void JsonWriter::begin_array() {
  before_value();
  out_->push_back('[');
  stack_.push_back({true, false});
}

void JsonWriter::end_array() {
  const bool empty = stack_.back().first;
  stack_.pop_back();
  if (!empty) newline();
  out_->push_back(']');
}

void JsonWriter::key(std::string_view k) {
  before_value();
  append_json_string(out_, k);
  out_->append(indent_ ? ": " : ":");
  after_key_ = true;
}

void JsonWriter::value(std::string_view s) {
  before_value();
  append_json_string(out_, s);
}

void JsonWriter::value(std::uint64_t n) {
  before_value();
  out_->append(std::to_string(n));
}

void JsonWriter::value(std::int64_t n) {
  before_value();
  out_->append(std::to_string(n));
}

void JsonWriter::value(double d) {
  before_value();
  if (!std::isfinite(d)) {
    out_->append("null");
    return;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", d);
  out_->append(buf);
}

void JsonWriter::value(bool b) {
  before_value();
  out_->append(b ? "true" : "false");
}

void JsonWriter::null() {
  before_value();
  out_->append("null");
}

void JsonWriter::strings(const std::vector<std::string>& list) {
  begin_array();
  for (const std::string& s : list) value(s);
  end_array();
}

}  // namespace azd::report::detail
