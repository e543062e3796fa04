// Hostile input at the library level: what a damaged, truncated or crafted export does to
// input/ and record/. Every case checks that reading ends, says where and why, keeps the
// rest, and that records == events + skipped. The same inputs at the command line (exit
// codes, messages, files and directories) are in tests/hostile/.
#include <catch2/catch.hpp>

#include <zlib.h>

#include <set>
#include <string>

#include "base/text.h"
#include "input/input.h"
#include "record/record.h"
#include "test_support.h"

using namespace azd;
using azd::test::read_text;

namespace {

constexpr std::string_view kEvent =
    R"({"time":"2024-05-14T09:12:03.1234567Z","operationName":"Microsoft.Compute/virtualMachines/delete","category":"Administrative","resultType":"Success","caller":"eve@contoso.com"})";

void check_accounting(const record::ReadResult& r) {
  CHECK(r.records == r.events + r.skipped);
  CHECK(r.issues.size() <= r.issue_count);
}

std::string gzip_of(std::string_view plain) {
  z_stream zs{};
  REQUIRE(deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) == Z_OK);
  std::string out(deflateBound(&zs, static_cast<uLong>(plain.size())) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(plain.data()));
  zs.avail_in = static_cast<uInt>(plain.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  REQUIRE(deflate(&zs, Z_FINISH) == Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

}  // namespace

TEST_CASE("a stray closing bracket where a record should start is skipped, not looped on", "[hostile]") {
  // Found by fuzz_ingest: value_end() returned its start for `}`, and the walkers spun forever.
  for (std::string_view text : {"[}", "[1,]]", "[}]", R"({"operationName":"x"} }})"}) {
    INFO(text);
    auto r = read_text(text);
    check_accounting(r.result);
    CHECK(r.result.skipped >= 1);
    CHECK(r.result.issue_count >= 1);
  }
  auto r = read_text("[" + std::string(kEvent) + ", }, " + std::string(kEvent) + "]");
  CHECK(r.events.size() == 2);
  CHECK(r.result.skipped == 1);
  check_accounting(r.result);
}

TEST_CASE("100 000-deep nesting is refused per record without exhausting the stack", "[hostile]") {
  const std::string arrays(100'000, '[');
  auto a = read_text(arrays);
  check_accounting(a.result);
  CHECK(a.events.empty());
  CHECK(a.result.issue_count >= 1);

  std::string objects;
  for (int i = 0; i < 100'000; ++i) objects += R"({"a":)";
  objects += "1";
  objects += std::string(100'000, '}');
  auto o = read_text(objects + "\n" + std::string(kEvent) + "\n");
  check_accounting(o.result);
  CHECK(o.events.size() == 1);  // the record after the deep one is still read
  CHECK(o.result.skipped == 1);
}

TEST_CASE("NUL bytes inside a record skip that record only", "[hostile]") {
  std::string bad(kEvent);
  bad.insert(40, std::string("\0\0\0", 3));
  auto r = read_text(std::string(kEvent) + "\n" + bad + "\n" + std::string(kEvent) + "\n");
  check_accounting(r.result);
  CHECK(r.events.size() == 2);
  CHECK(r.result.skipped == 1);
  REQUIRE(r.result.issues.size() == 1);
  CHECK(r.result.issues[0].line == 2);
}

TEST_CASE("invalid UTF-8 in the middle of a string is decoded, never dropped", "[hostile]") {
  std::string text(kEvent);
  text.replace(text.find("eve@"), 3, "\xff\xfe\xc3");
  auto r = read_text(text);
  CHECK(r.buffer.encoding() == input::Encoding::cp1252);
  CHECK(r.buffer.invalid_utf8() == 3);
  REQUIRE(r.events.size() == 1);
  CHECK(r.events[0].caller == "\xc3\xbf\xc3\xbe\xc3\x83@contoso.com");
}

TEST_CASE("odd-length UTF-16 ends in a counted replacement character", "[hostile]") {
  std::string utf16 = "\xff\xfe";
  for (char c : std::string(kEvent) + "\n") {
    utf16.push_back(c);
    utf16.push_back('\0');
  }
  utf16.push_back('x');  // the odd byte
  auto r = read_text(utf16);
  CHECK(r.buffer.encoding() == input::Encoding::utf16le_bom);
  CHECK(r.buffer.invalid_utf8() == 1);
  CHECK(r.events.size() == 1);
  check_accounting(r.result);
}

TEST_CASE("numbers that overflow are kept as their text", "[hostile]") {
  auto r = read_text(
      R"({"operationName":"x/delete","category":"Administrative","properties":{"statusCode":1e999999},"level":-99999999999999999999999999999,"time":123456789012345678901234567890})");
  REQUIRE(r.events.size() == 1);
  CHECK(r.events[0].substatus == "1e999999");
  CHECK(r.events[0].level == "-99999999999999999999999999999");
  CHECK(r.events[0].time == record::kNoTime);
}

TEST_CASE("a duplicate key takes its last value, as most JSON readers do", "[hostile]") {
  auto r = read_text(R"({"operationName":"first/delete","operationName":"second/delete","category":"Administrative"})");
  REQUIRE(r.events.size() == 1);
  CHECK(r.events[0].operation == "second/delete");
}

TEST_CASE("empty and whitespace-only inputs have no records and no issues", "[hostile]") {
  for (std::string_view text : {"", " \n\t\r\n  ", "\xef\xbb\xbf", "\xff\xfe"}) {
    auto r = read_text(text);
    CHECK(r.result.shape == record::Shape::empty);
    CHECK(r.result.records == 0);
    CHECK(r.result.issue_count == 0);
  }
}

TEST_CASE("a gzip bomb stops at the decompression cap with a message", "[hostile][gzip]") {
  const std::string bomb = gzip_of(std::string(8 << 20, ' '));  // 8 MiB of spaces, ~8 KiB packed
  input::OpenOptions options;
  options.max_decompressed = 1 << 20;
  input::Buffer buffer;
  std::string err;
  CHECK_FALSE(input::buffer_from_bytes(bomb, options, &buffer, &err));
  CHECK(err.find("exceeds the limit of 1048576 bytes") != std::string::npos);
  // Under the cap the same stream is read.
  options.max_decompressed = 16 << 20;
  CHECK(input::buffer_from_bytes(bomb, options, &buffer, &err));
  CHECK(buffer.text().size() == (8u << 20));
}

TEST_CASE("a truncated or corrupt gzip is refused with a reason", "[hostile][gzip]") {
  const std::string good = gzip_of(std::string(kEvent) + "\n");
  input::Buffer buffer;
  std::string err;
  CHECK_FALSE(input::buffer_from_bytes(good.substr(0, good.size() / 2), {}, &buffer, &err));
  CHECK(err.find("truncated") != std::string::npos);
  CHECK_FALSE(input::buffer_from_bytes(good.substr(0, 2), {}, &buffer, &err));  // magic only
  std::string corrupt = good;
  for (std::size_t i = 12; i < corrupt.size() - 8; ++i) corrupt[i] = static_cast<char>(corrupt[i] ^ 0x5a);
  err.clear();
  CHECK_FALSE(input::buffer_from_bytes(corrupt, {}, &buffer, &err));
  CHECK(err.rfind("gzip: ", 0) == 0);
}

TEST_CASE("terminal escaping leaves no control or bidi override in log text", "[hostile][terminal]") {
  const std::string evil =
      "eve\x1b[2J\x1b]8;;https://evil.example/\x07" "click\x1b]8;;\x07\xc2\x9b" "31m\x08\r"
      "admin\xe2\x80\xaemoc.live\xe2\x81\xa6x\xe2\x81\xa9\x7f";
  const std::string shown = base::escape_for_terminal(evil);
  CHECK(shown ==
        "eve\\x1b[2J\\x1b]8;;https://evil.example/\\x07click\\x1b]8;;\\x07\\u009b31m\\x08\\r"
        "admin\\u202emoc.live\\u2066x\\u2069\\x7f");
  // Ordinary non-ASCII text that merely shares the lead byte E2 stays as written.
  CHECK(base::escape_for_terminal("a \xe2\x80\x94 b \xe2\x82\xac") == "a \xe2\x80\x94 b \xe2\x82\xac");
  CHECK(base::escape_for_terminal("cut\xe2\x80") == "cut\xe2\x80");
}

TEST_CASE("the duplicate-key hash changes with every byte and every length of a record", "[base][dedup]") {
  // Two records that differ anywhere must not be taken for copies of one event: a single
  // changed byte at every position of a record longer than the 64-byte main loop, and every
  // truncation of it, give a new hash.
  std::string text;
  for (int i = 0; text.size() < 300; ++i) text += "{\"k" + std::to_string(i) + "\":\"v\"},";
  const std::uint64_t base = azd::base::hash_bytes(text);
  CHECK(azd::base::hash_bytes(text) == base);
  std::set<std::uint64_t> seen = {base};
  for (std::size_t i = 0; i < text.size(); ++i) {
    std::string changed = text;
    changed[i] = changed[i] == 'x' ? 'y' : 'x';
    CHECK(seen.insert(azd::base::hash_bytes(changed)).second);
  }
  for (std::size_t n = 0; n < text.size(); ++n) CHECK(seen.insert(azd::base::hash_bytes(text.substr(0, n))).second);
}
