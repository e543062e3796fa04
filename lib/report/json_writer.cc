#include "report/json_writer.h"

#include <cmath>
#include <cstdio>

namespace azd::report::detail {

void append_json_string(std::string* out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  // Bytes that need no escape are copied in runs (one append per run, not a capacity check
  // per byte): a report is mostly plain text.
  auto plain = [](unsigned char c) { return c >= 0x20 && c != '"' && c != '\\' && c != 0x7f && c != 0xC2; };
  out->push_back('"');
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t j = i;
    while (j < s.size() && plain(static_cast<unsigned char>(s[j]))) ++j;
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
