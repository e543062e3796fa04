// Internal to report/: a minimal streaming JSON writer. It escapes every control character
// and keeps invalid UTF-8 from reaching the output, so any log text yields valid JSON.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace azd::report::detail {

class JsonWriter {
 public:
  /// `indent` 0 writes compact JSON (one line), otherwise pretty-prints with that many spaces.
  explicit JsonWriter(std::string* out, int indent = 0) : out_(out), indent_(indent) {}

  void begin_object();
  void end_object();
  void begin_array();
  void end_array();
  void key(std::string_view k);
  void value(std::string_view s);
  void value(const char* s) { value(std::string_view(s)); }
  void value(std::uint64_t n);
  void value(std::int64_t n);
  void value(int n) { value(static_cast<std::int64_t>(n)); }
  void value(double d);
  void value(bool b);
  void null();
  void strings(const std::vector<std::string>& list);
  void value(const std::vector<std::string>& list) { strings(list); }
  /// key(k) then value(v): one object member.
  template <class T>
  void member(std::string_view k, const T& v) {
    key(k);
    value(v);
  }

 private:
  void before_value();
  void newline();
  std::string* out_;
  int indent_;
  struct Level {
    bool first = true;
    bool is_object = false;
  };
  std::vector<Level> stack_;
  bool after_key_ = false;
};

/// Appends `s` as a JSON string literal, quotes included.
void append_json_string(std::string* out, std::string_view s);

}  // namespace azd::report::detail
