// Streams: reading an input block by block (any window size, any number of readers) must
// give exactly what reading it whole gives: the same events at the same offsets and lines,
// the same issues, the same counts.
#include <catch2/catch.hpp>

#include <initializer_list>
#include <string>
#include <vector>

#include "base/text.h"
#include "input/input.h"
#include "record/record.h"
#include "test_support.h"

using azd::test::gzip_bytes;
namespace input = azd::input;
namespace record = azd::record;

namespace {

// Everything a read produced, as text, so two reads compare with one CHECK.
struct Trace {
  std::vector<std::string> lines;
  std::string encoding;
  bool operator==(const Trace&) const = default;
};

void note_event(Trace* t, const record::EventView& ev) {
  std::string raw;
  const bool has_body = ev.source->raw_field("properties.requestbody.properties.vmSize", &raw);
  t->lines.push_back("event @" + std::to_string(ev.offset) + " line " + std::to_string(ev.source->line_of(ev.offset)) +
                     " " + std::string(ev.operation) + " " + std::string(ev.caller) + " body=" +
                     (has_body ? raw : "-") + " raw=" + std::string(ev.raw));
}

void note_result(Trace* t, const record::ReadResult& r) {
  t->lines.push_back("shape=" + std::string(record::shape_name(r.shape)) + " records=" + std::to_string(r.records) +
                     " events=" + std::to_string(r.events) + " skipped=" + std::to_string(r.skipped) +
                     " fatal=" + std::to_string(r.fatal) + " detail=" + r.detail);
  for (const record::ReadIssue& i : r.issues) {
    t->lines.push_back("issue @" + std::to_string(i.offset) + " line " + std::to_string(i.line) + ": " + i.reason);
  }
}

Trace read_whole(std::string_view bytes) {
  Trace t;
  input::Buffer buffer;
  std::string err;
  REQUIRE(input::buffer_from_bytes(bytes, input::OpenOptions{}, &buffer, &err));
  record::Reader reader;
  note_result(&t, reader.read(buffer.text(), [&](const record::EventView& ev) { note_event(&t, ev); }));
  t.encoding = std::string(input::encoding_name(buffer.encoding()));
  return t;
}

// A stream over `bytes` read `window` bytes at a time.
void open_stream(std::string_view bytes, std::size_t window, input::Stream* stream) {
  input::OpenOptions options;
  options.window = window;
  std::string err;
  REQUIRE(stream->open_bytes(bytes, options, &err));
}

Trace read_streamed(std::string_view bytes, std::size_t window) {
  Trace t;
  input::Stream stream;
  open_stream(bytes, window, &stream);
  record::Reader reader;
  note_result(&t, reader.read_stream(stream, [&](const record::EventView& ev) { note_event(&t, ev); }));
  t.encoding = std::string(input::encoding_name(stream.encoding()));
  return t;
}

// Blocks taken with take_lines() and read by alternating readers, as reading threads do.
Trace read_by_two_readers(std::string_view bytes, std::size_t window) {
  Trace t;
  input::Stream stream;
  open_stream(bytes, window, &stream);
  std::string err;
  std::size_t start = 0;
  REQUIRE(record::lines_streamable(stream.head(), &start));
  record::Reader readers[2];
  std::string storage[2];
  std::vector<record::ReadResult> parts;
  std::uint64_t offset = 0, line = 1;
  for (int n = 0;; ++n) {
    std::string_view block;
    REQUIRE(stream.take_lines(&storage[n % 2], &block, &err));
    if (block.empty()) break;
    parts.push_back(readers[n % 2].read_lines_block(block, offset, line, start,
                                                    [&](const record::EventView& ev) { note_event(&t, ev); }));
    start = 0;
    offset += block.size();
    line += azd::base::count_byte(block, '\n');
  }
  note_result(&t, record::merge_results(std::move(parts)));
  t.encoding = std::string(input::encoding_name(stream.encoding()));
  return t;
}

std::string storage_record(int i, std::string_view extra = "") {
  return R"({"time":"2024-05-14T09:12:)" + std::to_string(10 + i % 50) +
         R"(.1234567Z","resourceId":"/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm)" +
         std::to_string(i) +
         R"(","operationName":"MICROSOFT.COMPUTE/VIRTUALMACHINES/WRITE","category":"Administrative","resultType":"Start","correlationId":"c)" +
         std::to_string(i) + R"(","identity":{"claims":{"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn":"usér)" +
         std::to_string(i) + R"(@contoso.com"}},"properties":{"statusCode":"Created")" + std::string(extra) + "}}";
}

std::string many_lines(int n) {
  std::string s;
  for (int i = 0; i < n; ++i) {
    std::string extra;
    if (i % 3 == 0) extra = R"(,"requestbody":"{\"properties\":{\"vmSize\":\"Standard_ND96asr_v4\"}}")";
    if (i % 7 == 0) extra = R"(,"requestBody":{"properties":{"vmSize":"Standard_B2s"}})";
    s += storage_record(i, extra);
    s += i % 5 == 0 ? "\r\n" : "\n";
  }
  return s;
}

}  // namespace

TEST_CASE("JSON Lines read in small windows give the same events, offsets and lines as a whole read", "[stream]") {
  const std::string text = many_lines(40);
  const Trace whole = read_whole(text);
  REQUIRE(whole.lines.size() == 41);
  for (std::size_t window : std::initializer_list<std::size_t>{64, 100, 257, 1000, 4096, std::size_t{1} << 20}) {
    INFO("window " << window);
    CHECK(read_streamed(text, window) == whole);
    CHECK(read_by_two_readers(text, window) == whole);
  }
}

TEST_CASE("damage in streamed JSON Lines is reported at the same lines as in a whole read", "[stream]") {
  // A broken record, a blank line, a stray word, a non-Activity record and a truncated tail.
  std::string text = storage_record(1) + "\n{\"time\": broken\n\n" + storage_record(2) + "\nnot json\n" +
                     R"({"category":"NetworkSecurityGroupFlowEvent","time":"2024-01-01T00:00:00Z"})" + "\n" +
                     storage_record(3) + "\n" + storage_record(4).substr(0, 90);
  const Trace whole = read_whole(text);
  for (std::size_t window : std::initializer_list<std::size_t>{64, 150, std::size_t{1} << 20}) {
    INFO("window " << window);
    CHECK(read_streamed(text, window) == whole);
  }
}

TEST_CASE("invalid UTF-8 split across stream windows is repaired as in a whole read", "[stream]") {
  // Latin-1 bytes (invalid UTF-8) next to valid two-byte sequences, on several lines.
  std::string text;
  for (int i = 0; i < 12; ++i) text += storage_record(i, i % 4 == 0 ? ",\"x\":\"caf\xE9 \xC3\xA9t\xE9\"" : "") + "\n";
  const Trace whole = read_whole(text);
  CHECK(whole.encoding == "windows-1252");
  for (std::size_t window : std::initializer_list<std::size_t>{64, 333, std::size_t{1} << 20}) {
    INFO("window " << window);
    CHECK(read_streamed(text, window) == whole);
  }
}

TEST_CASE("gzip JSON Lines are inflated as they are read, including concatenated members", "[stream]") {
  const std::string a = many_lines(20), b = many_lines(7);
  const std::string gz = gzip_bytes(a) + gzip_bytes(b);
  const Trace whole = read_whole(a + b);
  for (std::size_t window : std::initializer_list<std::size_t>{64, 1000, std::size_t{1} << 20}) {
    INFO("window " << window);
    Trace streamed = read_streamed(gz, window);
    CHECK(streamed == whole);
  }
}

TEST_CASE("a gzip larger than one read of compressed bytes is inflated whole", "[stream]") {
  // Records with pseudo-random ids compress poorly: more compressed bytes than the 256 KiB
  // the stream reads from the source at a time, all of them in the first 1 MiB read (which
  // once overflowed the compressed-input buffer: seen by ASan on a 40 MB gzip).
  std::string text;
  std::uint64_t x = 0x9e3779b97f4a7c15ULL;
  for (int i = 0; i < 6000; ++i) {
    std::string id;
    for (int k = 0; k < 6; ++k) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      id += std::to_string(x);
    }
    text += storage_record(i, ",\"id\":\"" + id + "\"") + "\n";
  }
  const std::string gz = gzip_bytes(text);
  REQUIRE(gz.size() > (std::size_t{1} << 18));
  const Trace whole = read_whole(text);
  CHECK(read_streamed(gz, std::size_t{1} << 20) == whole);
  CHECK(read_streamed(gz, 4096) == whole);
}

TEST_CASE("a UTF-8 byte-order mark before JSON Lines is skipped by the stream", "[stream]") {
  const std::string text = "\xEF\xBB\xBF" + many_lines(5);
  const Trace whole = read_whole(text);
  CHECK(whole.encoding == "utf-8+bom");
  CHECK(read_streamed(text, 64) == whole);
}

TEST_CASE("inputs that are not JSON Lines are read whole through the stream", "[stream]") {
  const std::string array = "[" + storage_record(1) + ",\n" + storage_record(2) + "]";
  const std::string pretty = "{\n  \"records\": [\n" + storage_record(1) + "\n]\n}\n";
  const std::string utf16 = std::string("\xFF\xFE[\0]\0", 6);
  for (const std::string& text : {array, pretty, utf16}) {
    CHECK(read_streamed(text, 64) == read_whole(text));
  }
}

TEST_CASE("a line longer than the window grows the window instead of splitting the record", "[stream]") {
  std::string text = storage_record(1, ",\"big\":\"" + std::string(5000, 'x') + "\"") + "\n" + storage_record(2) + "\n";
  CHECK(read_streamed(text, 64) == read_whole(text));
}

TEST_CASE("a truncated gzip of JSON Lines keeps the lines before the cut and says where it stopped", "[stream]") {
  const std::string text = many_lines(400);
  std::string gz = gzip_bytes(text);
  gz.resize(gz.size() / 2);
  // Every line inflated before the cut is read, whatever the window: the error met while
  // refilling must not drop what is already buffered.
  std::uint64_t first_count = 0;
  for (std::size_t window : std::initializer_list<std::size_t>{64, 4096, std::size_t{1} << 20}) {
    INFO("window " << window);
    input::Stream stream;
    open_stream(gz, window, &stream);
    record::Reader reader;
    std::uint64_t events = 0;
    const record::ReadResult r = reader.read_stream(stream, [&](const record::EventView&) { ++events; });
    CHECK(r.fatal);
    CHECK(events > 100);
    CHECK(r.events == events);
    CHECK(r.records == r.events + r.skipped);
    REQUIRE(!r.issues.empty());
    CHECK(r.issues.back().reason.find("truncated") != std::string::npos);
    CHECK(r.issues.back().line > 100);
    if (first_count == 0) first_count = events;
    CHECK(events == first_count);
  }
}

TEST_CASE("count_byte counts every occurrence, across its 16-byte steps and 255-step batches", "[stream]") {
  // Sizes around the SIMD step and the counter batch, with the byte at the edges.
  for (std::size_t size : std::initializer_list<std::size_t>{0, 1, 15, 16, 17, 255 * 16 - 1, 255 * 16, 255 * 16 + 1, 10000}) {
    std::string s(size, 'x');
    std::uint64_t want = 0;
    for (std::size_t i = 0; i < size; i += (i % 7) + 1) {
      s[i] = '\n';
      ++want;
    }
    if (size > 0 && s.back() != '\n') {
      s.back() = '\n';
      ++want;
    }
    INFO("size " << size);
    CHECK(azd::base::count_byte(s, '\n') == want);
  }
  // A run longer than 255 steps of nothing but matches: the per-byte counters must not wrap.
  CHECK(azd::base::count_byte(std::string(300 * 16, '\n'), '\n') == 300 * 16);
}
