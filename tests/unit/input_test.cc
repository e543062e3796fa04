#include <catch2/catch.hpp>
#include <zlib.h>

#include <cstdio>
#include <fstream>
#include <random>

#include "input/decode.h"
#include "input/input.h"
#include "test_support.h"

using namespace azd::input;
using azd::test::gzip_bytes;

namespace {
Buffer decode(std::string_view bytes, bool* ok = nullptr, std::string* err_out = nullptr) {
  Buffer b;
  std::string err;
  bool r = buffer_from_bytes(bytes, OpenOptions{}, &b, &err);
  if (ok) *ok = r;
  if (err_out) *err_out = err;
  return b;
}

}  // namespace

TEST_CASE("plain UTF-8 passes through unchanged", "[input]") {
  Buffer b = decode("[{\"a\":1}]");
  CHECK(b.text() == "[{\"a\":1}]");
  CHECK(b.encoding() == Encoding::utf8);
}

TEST_CASE("a UTF-8 byte-order mark is stripped and reported", "[input]") {
  Buffer b = decode("\xEF\xBB\xBF[1]");
  CHECK(b.text() == "[1]");
  CHECK(encoding_name(b.encoding()) == "utf-8+bom");
}

TEST_CASE("UTF-16LE with a BOM is transcoded to UTF-8, including non-ASCII", "[input]") {
  // "[Ç😀]" in UTF-16LE: Ç = U+00C7, 😀 = U+1F600 (a surrogate pair).
  const char bytes[] = "\xFF\xFE[\x00\xC7\x00\x3D\xD8\x00\xDE]\x00";
  Buffer b = decode(std::string_view(bytes, sizeof bytes - 1));
  CHECK(b.text() == "[\xC3\x87\xF0\x9F\x98\x80]");
  CHECK(encoding_name(b.encoding()) == "utf-16le+bom");
  CHECK(b.invalid_utf8() == 0);
}

TEST_CASE("UTF-16BE with a BOM is transcoded", "[input]") {
  const char bytes[] = "\xFE\xFF\x00[\x00]";
  Buffer b = decode(std::string_view(bytes, sizeof bytes - 1));
  CHECK(b.text() == "[]");
  CHECK(encoding_name(b.encoding()) == "utf-16be+bom");
}

TEST_CASE("odd-length UTF-16 keeps what it can and counts the damage", "[input]") {
  const char bytes[] = "\xFF\xFE[\x00]\x00X";
  Buffer b = decode(std::string_view(bytes, sizeof bytes - 1));
  CHECK(b.text() == "[]\xEF\xBF\xBD");
  CHECK(b.invalid_utf8() == 1);
}

TEST_CASE("text that is not valid UTF-8 is decoded as Windows-1252, valid sequences kept", "[input]") {
  // \xC7\xDD is "ÇÝ" in Windows-1252 (Windows-1254 writes "Çİ" with the same bytes).
  Buffer b = decode("{\"n\":\"\xC7\xDD \xC3\xA9\"}");
  CHECK(b.text() == "{\"n\":\"\xC3\x87\xC3\x9D \xC3\xA9\"}");
  CHECK(encoding_name(b.encoding()) == "windows-1252");
  CHECK(b.invalid_utf8() == 2);
}

TEST_CASE("an invalid byte is found wherever it sits in a long ASCII run", "[input]") {
  // The validator skips ASCII 32 and 8 bytes at a time: put the bad byte at every offset of
  // such blocks, after and before long runs, and at the very end.
  for (std::size_t at = 0; at < 100; ++at) {
    std::string text(100, 'a');
    text[at] = '\x93';  // a curly quote in Windows-1252
    Buffer b = decode(text);
    CHECK(encoding_name(b.encoding()) == "windows-1252");
    CHECK(b.invalid_utf8() == 1);
    CHECK(b.text().substr(at, 3) == "\xE2\x80\x9C");
  }
  CHECK(encoding_name(decode(std::string(100, 'a')).encoding()) == "utf-8");
}

TEST_CASE("gzip input is recognised by its magic bytes and inflated", "[input]") {
  const std::string plain = "{\"time\":\"2024-01-01T00:00:00Z\"}\n";
  Buffer b = decode(gzip_bytes(plain));
  CHECK(b.gzip());
  CHECK(b.text() == plain);
}

TEST_CASE("concatenated gzip members are all inflated", "[input]") {
  Buffer b = decode(gzip_bytes("a\n") + gzip_bytes("b\n"));
  CHECK(b.text() == "a\nb\n");
}

TEST_CASE("a truncated gzip stream is an error, not silent data loss", "[input]") {
  std::string gz = gzip_bytes(std::string(10000, 'x'));
  bool ok = true;
  std::string err;
  decode(gz.substr(0, gz.size() / 2), &ok, &err);
  CHECK_FALSE(ok);
  CHECK(err.find("truncated") != std::string::npos);
}

TEST_CASE("crc32 gives zlib's CRC-32 with every kernel the CPU runs, at any length, alignment and start", "[input]") {
  using azd::input::detail::CrcKernel;
  std::mt19937_64 rng(7);
  std::string bytes(70000, '\0');
  for (char& c : bytes) c = static_cast<char>(rng());
  // Lengths around every step of the folds (16, 64 and 128 bytes, the 256-byte threshold)
  // and random ones.
  std::vector<std::size_t> lengths{0, 1, 15, 16, 17, 63, 64, 65, 127, 128, 129, 255, 256, 257, 383, 384, 385, 1000, 65536};
  for (int i = 0; i < 200; ++i) lengths.push_back(rng() % 60000);
  const CrcKernel best = azd::input::detail::best_crc_kernel();
  for (CrcKernel kernel : {CrcKernel::tables, CrcKernel::clmul, CrcKernel::clmul512}) {
    if (static_cast<int>(kernel) > static_cast<int>(best)) continue;  // not on this CPU
    INFO("kernel " << static_cast<int>(kernel));
    for (std::size_t n : lengths) {
      const std::size_t at = rng() % 64;
      const std::uint32_t start = (n % 3 == 0) ? 0 : static_cast<std::uint32_t>(rng());
      const std::string_view part(bytes.data() + at, n);
      const auto want = static_cast<std::uint32_t>(::crc32(start, reinterpret_cast<const Bytef*>(part.data()), static_cast<uInt>(n)));
      INFO("length " << n << " at " << at);
      CHECK(azd::input::detail::crc32(start, part, kernel) == want);
      // In two pieces, as a stream computes it block by block.
      const std::size_t cut = n / 3;
      CHECK(azd::input::detail::crc32(azd::input::detail::crc32(start, part.substr(0, cut), kernel), part.substr(cut), kernel) ==
            want);
    }
  }
}

TEST_CASE("a gzip member whose trailer does not match what it inflates to is corrupt", "[input]") {
  const std::string a = gzip_bytes(std::string(3000, 'a') + "\n"), b = gzip_bytes(std::string(5000, 'b') + "\n");
  CHECK(decode(a + b).text().size() == 8002);
  // The CRC (the trailer's first four bytes) and the size (its last four), of either member.
  const std::size_t end_a = a.size(), end_b = a.size() + b.size();
  const std::pair<std::size_t, const char*> flips[] = {{end_a - 8, "incorrect data check"},
                                                       {end_a - 1, "incorrect length check"},
                                                       {end_b - 7, "incorrect data check"},
                                                       {end_b - 2, "incorrect length check"}};
  for (const auto& [at, why] : flips) {
    INFO("byte " << at);
    std::string bad = a + b;
    bad[at] = static_cast<char>(bad[at] ^ 0x10);
    bool ok = true;
    std::string err;
    decode(bad, &ok, &err);
    CHECK_FALSE(ok);
    CHECK(err.find(why) != std::string::npos);
  }
}

TEST_CASE("a gzip bomb is stopped at the decompression limit", "[input]") {
  std::string gz = gzip_bytes(std::string(4 << 20, '\0'));
  Buffer b;
  std::string err;
  OpenOptions small;
  small.max_decompressed = 1 << 20;
  CHECK_FALSE(buffer_from_bytes(gz, small, &b, &err));
  CHECK(err.find("gzip bomb") != std::string::npos);
}

TEST_CASE("a mapped file is followed by readable zero padding", "[input]") {
  char name[] = "/tmp/azd_input_XXXXXX";
  int fd = mkstemp(name);
  REQUIRE(fd >= 0);
  const std::string content(4096, 'x');  // exactly one page: the padding must still be there
  REQUIRE(write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()));
  close(fd);
  Buffer b;
  std::string err;
  REQUIRE(open_input(name, OpenOptions{}, &b, &err));
  CHECK(b.text().size() == 4096);
  for (std::size_t i = 0; i < kPadding; ++i) CHECK(b.text().data()[4096 + i] == '\0');
  std::remove(name);
}

TEST_CASE("a missing file is reported with the reason", "[input]") {
  Buffer b;
  std::string err;
  CHECK_FALSE(open_input("/nonexistent/azd.json", OpenOptions{}, &b, &err));
  CHECK(err == "No such file or directory");
}

TEST_CASE("directories are walked recursively in sorted order", "[input]") {
  char tmpl[] = "/tmp/azd_dir_XXXXXX";
  std::string dir = mkdtemp(tmpl);
  std::string sub = dir + "/y=2024/m=01";
  REQUIRE(std::system(("mkdir -p " + sub).c_str()) == 0);
  std::ofstream(sub + "/PT1H.json") << "{}";
  std::ofstream(dir + "/a.json") << "{}";
  std::vector<PathError> errors;
  auto files = expand_paths({dir}, &errors);
  REQUIRE(files.size() == 2);
  CHECK(files[0] == dir + "/a.json");
  CHECK(files[1] == sub + "/PT1H.json");
  CHECK(errors.empty());
  std::system(("rm -rf " + dir).c_str());
}

TEST_CASE("a symlink loop in a directory tree is walked once", "[input]") {
  char tmpl[] = "/tmp/azd_loop_XXXXXX";
  std::string dir = mkdtemp(tmpl);
  std::ofstream(dir + "/a.json") << "{}";
  REQUIRE(std::system(("ln -s " + dir + " " + dir + "/loop").c_str()) == 0);
  std::vector<PathError> errors;
  auto files = expand_paths({dir}, &errors);
  CHECK(files.size() == 1);
  std::system(("rm -rf " + dir).c_str());
}
