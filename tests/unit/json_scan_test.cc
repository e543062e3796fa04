// The structural scanner that splits arrays and envelopes into records (record/json_scan.h),
// checked against its byte-at-a-time definition.
#include <catch2/catch.hpp>

#include <random>
#include <string>

#include "record/json_scan.h"

using azd::record::detail::value_end;

namespace {

constexpr std::size_t npos = std::string_view::npos;

// The definition, one byte at a time: strings skipped with their escapes, brackets counted
// outside them (balance is not checked), a backslash outside a string ignored.
std::size_t reference_end(std::string_view t, std::size_t i) {
  std::size_t depth = 0;
  bool in_string = false;
  for (; i < t.size(); ++i) {
    const char c = t[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '{' || c == '[') ++depth;
    else if ((c == '}' || c == ']') && --depth == 0) return i + 1;
  }
  return npos;
}

}  // namespace

TEST_CASE("the end of an object is found past strings holding brackets and escaped quotes", "[record][scan]") {
  const std::string t = R"({"a":"}{][","b":"say \"}\" \\","c":[1,{"d":"\\\""}]} ,{"next":1})";
  CHECK(value_end(t, 0) == t.find(" ,"));
  CHECK(value_end(R"({"a":"unterminated})", 0) == npos);
  CHECK(value_end("{\"a\":[1,2]", 0) == npos);
  CHECK(value_end("[]", 0) == 2);
}

TEST_CASE("records longer than one 64-byte block end where they should, at every alignment", "[record][scan]") {
  for (std::size_t pad = 0; pad < 70; ++pad) {
    // An escaped quote and a run of backslashes land on every block boundary in turn.
    const std::string body = std::string(pad, 'x') + "\\\\\\\"}" + std::string(70, 'y');
    const std::string t = std::string(pad % 7, ' ') + R"({"k":")" + body + R"(","z":{}} [)";
    const std::size_t at = pad % 7;
    INFO("pad " << pad);
    CHECK(value_end(t, at) == reference_end(t, at));
    CHECK(value_end(t, at) == t.size() - 2);
  }
}

TEST_CASE("the block scanner agrees with the byte-at-a-time definition on random bracket soup",
          "[record][scan]") {
  std::mt19937 rng(12345);
  constexpr char kAlphabet[] = {'"', '\\', '{', '}', '[', ']', 'a', ' ', ',', ':', '"', '{', '}'};
  for (int round = 0; round < 20000; ++round) {
    const std::size_t len = 1 + rng() % 300;
    std::string t(1, rng() % 2 ? '{' : '[');
    for (std::size_t k = 1; k < len; ++k) t += kAlphabet[rng() % sizeof kAlphabet];
    INFO("input " << t);
    // Backslashes outside strings take the slow path; the answer must not change.
    REQUIRE(value_end(t, 0) == reference_end(t, 0));
  }
}
