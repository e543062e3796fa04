// Streams: reading an input block by block (any window size, any number of readers) must
// give exactly what reading it whole gives: the same events at the same offsets and lines,
// the same issues, the same counts.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <random>
#include <string>
#include <utility>
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
  std::string fields;
  for (std::string_view v : {ev.time_text, ev.operation_display, ev.status_text, ev.substatus, ev.status_message,
                             ev.caller_ip, ev.resource_id, ev.subscription, ev.resource_group, ev.provider,
                             ev.resource_type, ev.resource_name, ev.category, ev.level, ev.correlation_id,
                             ev.operation_id, ev.event_id, ev.event_name, ev.http_method, ev.tenant_id, ev.app_id,
                             ev.authorization_action, ev.authorization_scope}) {
    fields += "|" + std::string(v);
  }
  t->lines.push_back("event @" + std::to_string(ev.offset) + " line " + std::to_string(ev.source->line_of(ev.offset)) +
                     " " + std::string(ev.operation) + " " + std::string(ev.caller) + " time=" +
                     std::to_string(ev.time) + " body=" + (has_body ? raw : "-") + " fields=" + fields +
                     " raw=" + std::string(ev.raw));
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

TEST_CASE("a stream that was never opened, or was let go, counts nothing and can still be opened", "[stream]") {
  input::Stream stream;
  CHECK(stream.source_bytes() == 0);
  CHECK(stream.invalid_utf8() == 0);
  CHECK_FALSE(stream.gzip());
  CHECK(stream.encoding() == input::Encoding::utf8);
  open_stream("{\"a\":1}\n", 64, &stream);
  CHECK(stream.source_bytes() == 8);
  stream = input::Stream();  // what a reading thread does when an input is read
  CHECK(stream.source_bytes() == 0);
  open_stream("{\"b\":2}\n{\"c\":3}\n", 64, &stream);
  CHECK(stream.source_bytes() == 16);
}

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

TEST_CASE("an input whose first window is not valid UTF-8 is read whole, so repair cannot change its shape",
          "[stream]") {
  // Repairing a byte as Windows-1252 lengthens the text: a first record near the sniffer's
  // limit could then be classified differently by the head and by the whole (the ingest
  // fuzzer found one, fuzz/regressions/ingest/head-repair-changes-shape).
  std::string err;
  azd::input::OpenOptions options;
  options.window = 64;
  azd::input::Stream latin1;
  REQUIRE(latin1.open_bytes(storage_record(1, ",\"x\":\"caf\xE9\"") + "\n", options, &err));
  CHECK_FALSE(latin1.line_readable());
  // Valid multi-byte characters stay streamable, even when the head ends inside one.
  std::string accents;
  for (int i = 0; i < 40; ++i) accents += "\xC3\xA9";
  const std::string text = storage_record(1, ",\"x\":\"" + accents + "\"") + "\n" + storage_record(2) + "\n";
  for (std::size_t window = 64; window < 96; ++window) {
    INFO("window " << window);
    options.window = window;
    azd::input::Stream utf8;
    REQUIRE(utf8.open_bytes(text, options, &err));
    CHECK(utf8.line_readable());
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

TEST_CASE("a streamed gzip is checked against each member's trailer, also when a read cuts the trailer", "[stream]") {
  const std::string a = many_lines(20), b = many_lines(7);
  const std::string gz = gzip_bytes(a) + gzip_bytes(b);
  const std::size_t end_a = gzip_bytes(a).size();
  const Trace whole = read_whole(a + b);
  // The first read of the source takes `window` bytes: ending it 1-8 bytes before a
  // member's end splits that member's trailer between two reads.
  std::vector<std::size_t> windows{64, 4096, std::size_t{1} << 20};
  for (std::size_t k = 1; k <= 8; ++k) {
    windows.push_back(end_a - k);
    windows.push_back(gz.size() - k);
  }
  for (std::size_t window : windows) {
    INFO("window " << window);
    CHECK(read_streamed(gz, window) == whole);
    for (std::size_t at : {end_a - 8, end_a - 1, gz.size() - 5, gz.size() - 4}) {
      INFO("byte " << at << " changed");
      std::string bad = gz;
      bad[at] = static_cast<char>(bad[at] ^ 0x01);
      input::Stream stream;
      open_stream(bad, window, &stream);
      record::Reader reader;
      const record::ReadResult r = reader.read_stream(stream, [](const record::EventView&) {});
      CHECK(r.fatal);
      REQUIRE(!r.issues.empty());
      CHECK(r.issues.back().reason.find(at >= gz.size() - 4 || at == end_a - 1 ? "incorrect length check" : "incorrect data check") !=
            std::string::npos);
    }
  }
}

TEST_CASE("a UTF-8 byte-order mark before JSON Lines is skipped by the stream", "[stream]") {
  const std::string text = "\xEF\xBB\xBF" + many_lines(5);
  const Trace whole = read_whole(text);
  CHECK(whole.encoding == "utf-8+bom");
  CHECK(read_streamed(text, 64) == whole);
}

TEST_CASE("UTF-16 inputs are read whole through the stream", "[stream]") {
  const std::string utf16 = std::string("\xFF\xFE[\0]\0", 6);
  CHECK(read_streamed(utf16, 64) == read_whole(utf16));
}

TEST_CASE("a line longer than the window grows the window instead of splitting the record", "[stream]") {
  std::string text = storage_record(1, ",\"big\":\"" + std::string(5000, 'x') + "\"") + "\n" + storage_record(2) + "\n";
  CHECK(read_streamed(text, 64) == read_whole(text));
}

// Reads the first half of a gzip of `text` with several windows: each read delivers the
// same events, many of them, counted right, and ends fatal with the error as its last issue.
// Returns the reads' results.
std::vector<record::ReadResult> read_truncated_gzip(const std::string& text) {
  std::string gz = gzip_bytes(text);
  gz.resize(gz.size() / 2);
  // Every record inflated before the cut is read, whatever the window: the error met while
  // refilling must not drop what is already buffered.
  std::vector<record::ReadResult> results;
  std::uint64_t first_count = 0;
  for (std::size_t window : std::initializer_list<std::size_t>{64, 4096, std::size_t{1} << 20}) {
    INFO("window " << window);
    input::Stream stream;
    open_stream(gz, window, &stream);
    record::Reader reader;
    std::uint64_t events = 0;
    const record::ReadResult& r =
        results.emplace_back(reader.read_stream(stream, [&](const record::EventView&) { ++events; }));
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
  return results;
}

TEST_CASE("a truncated gzip of JSON Lines keeps the lines before the cut and says where it stopped", "[stream]") {
  read_truncated_gzip(many_lines(400));
}

TEST_CASE("chunks read at their positions and joined give the text a stream reads in order, each newline listed",
          "[stream]") {
  // The decoded text of every block, from next_lines() alone or from the first block and
  // then chunks (Stream::read_at + join_chunk, in order, as the scheduler counts them).
  // Every block comes with the offsets of its newlines, found while it was checked as
  // UTF-8 (or after it was repaired), or, for the first block, while the head was checked:
  // they must be those find_all() finds in the block.
  std::uint64_t listed_total = 0;
  auto check_newlines = [&listed_total](std::string_view block, const std::vector<std::uint32_t>& listed) {
    std::vector<std::uint32_t> want;
    azd::base::find_all(block, '\n', &want);
    CHECK(listed == want);
    listed_total += listed.size();
  };
  auto in_order = [&](const std::string& bytes, std::size_t window) {
    input::OpenOptions opt;
    opt.window = window;
    input::Stream s;
    std::string err, out;
    REQUIRE(s.open_bytes(bytes, opt, &err));
    std::string_view block;
    std::vector<std::uint32_t> nl;
    while (s.next_lines(&block, &err, &nl) && !block.empty()) {
      check_newlines(block, nl);
      out += block;
    }
    return std::make_pair(out, s.invalid_utf8());
  };
  auto chunked = [&](const std::string& bytes, std::size_t window, std::size_t chunk_size, std::size_t room) {
    input::OpenOptions opt;
    opt.window = window;
    input::Stream s;
    std::string err, out, storage;
    REQUIRE(s.open_bytes(bytes, opt, &err));
    std::string_view block;
    std::vector<std::uint32_t> nl;
    REQUIRE(s.take_lines(&storage, &block, &err, &nl));
    check_newlines(block, nl);
    out += block;
    if (!s.chunkable()) {
      while (s.take_lines(&storage, &block, &err, &nl) && !block.empty()) {
        check_newlines(block, nl);
        out += block;
      }
      return std::make_pair(out, s.invalid_utf8());
    }
    std::string carry, buf, repaired;
    std::uint64_t pos = 0, end = 0;
    s.begin_chunks(&carry, &pos, &end);
    do {
      const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(chunk_size, end - pos));
      buf.assign(room + n + input::kPadding, '?');
      REQUIRE(s.read_at(pos, buf.data() + room, n, &err));
      pos += n;
      const bool last = pos >= end;
      std::uint64_t invalid = 0;
      input::join_chunk(&buf, room, n, last, &carry, &repaired, &block, &invalid, &nl);
      check_newlines(block, nl);
      s.note_chunk(n, invalid);
      if (!last) CHECK((block.empty() || block.back() == '\n'));
      if (last) {
        CHECK(carry.empty());
        CHECK(block.data()[block.size()] == '\0');  // zeros after the end, as after a whole buffer
      }
      out += block;
    } while (pos < end);
    return std::make_pair(out, s.invalid_utf8());
  };
  std::mt19937 rng(33);
  for (int round = 0; round < 300; ++round) {
    std::string bytes;
    const int lines = static_cast<int>(rng() % 40);
    for (int l = 0; l < lines; ++l) {
      // Short and long lines (longer than the chunk and than the room before it), some
      // with invalid UTF-8 or a character cut by nothing, some CRLF, some blank.
      const std::size_t len = rng() % 8 == 0 ? rng() % 3000 : rng() % 90;
      for (std::size_t i = 0; i < len; ++i) {
        const unsigned r = static_cast<unsigned>(rng() % 200);
        bytes += r == 0 ? '\xe9' : r == 1 ? '\x93' : r == 2 ? "\xc3\xa9"[0] : static_cast<char>('a' + r % 26);
        if (r == 2) bytes += '\xa9';
      }
      bytes += rng() % 5 == 0 ? "\r\n" : "\n";
    }
    if (rng() % 3 == 0 && !bytes.empty()) bytes.pop_back();  // no final newline
    // A byte-order mark leaves the head short of a window: the first block then reaches
    // past what the head's check covered.
    if (rng() % 4 == 0) bytes.insert(0, "\xEF\xBB\xBF");
    const std::size_t window = 64 + rng() % 512, chunk = 1 + rng() % 700, room = rng() % 200;
    INFO("round " << round << ", window " << window << ", chunk " << chunk << ", room " << room);
    REQUIRE(chunked(bytes, window, chunk, room) == in_order(bytes, window));
  }
  CHECK(listed_total > 5000);  // (the rounds did list newlines)
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

TEST_CASE("find_all gives the offset of every occurrence, at every alignment of its 64-byte steps", "[stream]") {
  std::mt19937 rng(21);
  for (std::size_t size = 0; size < 300; ++size) {
    for (int round = 0; round < 8; ++round) {
      std::string s(size, 'x');
      std::vector<std::uint32_t> want;
      for (std::size_t i = 0; i < size; ++i) {
        // Sparse, dense, and every byte value (0x0A with the high bit set is no newline).
        const unsigned r = static_cast<unsigned>(rng() % (round < 4 ? 50 : 3));
        s[i] = r == 0 ? '\n' : static_cast<char>(r == 1 ? 0x8A : 'a' + static_cast<int>(rng() % 26));
        if (s[i] == '\n') want.push_back(static_cast<std::uint32_t>(i));
      }
      std::vector<std::uint32_t> got = {7};  // appended to, not replaced
      azd::base::find_all(s, '\n', &got);
      INFO("size " << size);
      REQUIRE(got.front() == 7);
      got.erase(got.begin());
      REQUIRE(got == want);
    }
  }
}

// Arrays, envelopes and concatenated objects are walked window by window, like JSON Lines.

namespace {

// Indents JSON the way az CLI and ConvertTo-Json print it: a record spans many lines.
std::string pretty(std::string_view json) {
  std::string out;
  int depth = 0;
  bool in_string = false;
  auto newline = [&] { out += "\n" + std::string(static_cast<std::size_t>(2 * depth), ' '); };
  for (std::size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    out += c;
    if (in_string) {
      if (c == '\\' && i + 1 < json.size()) out += json[++i];
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == ':') {
      out += ' ';
    } else if (c == '{' || c == '[') {
      ++depth;
      newline();
    } else if (c == ',') {
      newline();
    }
    if (i + 1 < json.size() && (json[i + 1] == '}' || json[i + 1] == ']')) {
      --depth;
      newline();
    }
  }
  return out;
}

// An az CLI event (camelCase, {value, localizedValue} pairs).
std::string rest_record(int i) {
  return R"({"eventTimestamp":"2024-05-14T09:12:)" + std::to_string(10 + i % 50) +
         R"(Z","operationName":{"value":"Microsoft.Authorization/roleAssignments/write","localizedValue":"Create role assignment"},"status":{"value":"Succeeded"},"caller":"admin)" +
         std::to_string(i) +
         R"(@contoso.com","resourceId":"/subscriptions/s2/resourceGroups/rg/providers/Microsoft.Authorization/roleAssignments/ra)" +
         std::to_string(i) + R"(","category":{"value":"Administrative"},"level":"Informational","properties":{"requestbody":"{\"properties\":{\"vmSize\":\"D)" +
         std::to_string(i) + R"(\"}}"}})";
}

std::string join(const std::vector<std::string>& records, std::string_view sep) {
  std::string s;
  for (std::size_t i = 0; i < records.size(); ++i) s += (i ? std::string(sep) : "") + records[i];
  return s;
}

std::vector<std::string> mixed_records(int n, bool indent) {
  std::vector<std::string> r;
  for (int i = 0; i < n; ++i) {
    std::string one = i % 2 ? rest_record(i) : storage_record(i);
    r.push_back(indent ? pretty(one) : one);
  }
  return r;
}

// The summary line of a trace ("shape=... records=...").
std::string summary(const Trace& t) {
  for (const std::string& line : t.lines) {
    if (line.rfind("shape=", 0) == 0) return line;
  }
  return "";
}

constexpr std::size_t kWindows[] = {64, 65, 100, 128, 199, 256, std::size_t{1} << 20};

// The stream's head reads on to the first newline: a leading one makes even a one-line
// input arrive in windows.
void check_every_window(const std::string& text) {
  for (const std::string& variant : {text, "\n" + text}) {
    const Trace whole = read_whole(variant);
    for (std::size_t window : kWindows) {
      INFO("window " << window << "\n" << variant);
      CHECK(read_streamed(variant, window) == whole);
    }
  }
}

// Every prefix of `text` (each `step` bytes) read streamed and whole: truncation at any point.
void check_every_cut(const std::string& text, std::size_t step) {
  for (std::size_t cut = 0; cut <= text.size(); cut += step) {
    const std::string part = "\n" + text.substr(0, cut);
    const Trace whole = read_whole(part);
    for (std::size_t window : {std::size_t{64}, std::size_t{150}}) {
      INFO("cut " << cut << " window " << window << "\n" << part);
      CHECK(read_streamed(part, window) == whole);
    }
  }
}

}  // namespace

TEST_CASE("a pretty-printed array read in small windows gives what a whole read gives", "[stream]") {
  const std::string text = "[\n  " + join(mixed_records(12, true), ",\n  ") + "\n]\n";
  const Trace whole = read_whole(text);
  REQUIRE(summary(whole).find("shape=json-array records=12 events=12") != std::string::npos);
  check_every_window(text);
}

TEST_CASE("a compact one-line array read in small windows gives what a whole read gives", "[stream]") {
  check_every_window("[" + join(mixed_records(15, false), ",") + "]");
  check_every_window("\r\n\t [ " + join(mixed_records(3, false), " , ") + " ] \n");
}

TEST_CASE("concatenated array pages and trailing content after an array are read as a whole read does", "[stream]") {
  const std::string a = "[" + join(mixed_records(3, false), ",") + "]";
  const std::string b = pretty("[" + join(mixed_records(4, false), ",") + "]");
  check_every_window(a + b);
  check_every_window(a + "\n" + b + "\n");
  check_every_window(a + "\n\n" + b + "\nnot json at all {\"x\":[1,2]}\n");
  check_every_window(a + " 42");
  check_every_window("[]");
  check_every_window("[ ]\n[" + storage_record(1) + "]");
}

TEST_CASE("damaged records inside a streamed array are reported as in a whole read", "[stream]") {
  const std::string text = "[" + storage_record(1) + ", 17, \"text\", [1, 2], {\"time\": broken}, null," +
                           R"({"category":"NetworkSecurityGroupFlowEvent","time":"2024-01-01T00:00:00Z"},)" +
                           storage_record(2) + ",,]";
  check_every_window(text);
  check_every_window("[" + storage_record(1) + "}]" + storage_record(2) + "]");
}

TEST_CASE("an array cut anywhere reads as a whole read of the same bytes", "[stream]") {
  check_every_cut("[\n" + join(mixed_records(3, true), ",\n") + "\n]", 5);
  check_every_cut("[" + join(mixed_records(2, false), ",") + "][" + storage_record(9) + "]", 3);
}

TEST_CASE("records envelopes, one or several, read in small windows as a whole read does", "[stream]") {
  const std::string one = "{\"records\": [" + join(mixed_records(5, false), ",") + "]}";
  const std::string two = pretty("{\"records\":[" + join(mixed_records(3, false), ",") + "]}");
  check_every_window(one);
  check_every_window(two);
  check_every_window(one + "\n" + two + "\n" + one);
  check_every_window(one + two);
  // Keys around the events, in any order, and arrays under other keys left alone.
  check_every_window(R"({"version": 1.0, "tags": ["a", {"b": "]"}], "records": [)" + storage_record(1) +
                     R"(], "more": null, "n": 12345})");
}

TEST_CASE("value pages with nextLink and Graph pages read in small windows as a whole read does", "[stream]") {
  const std::string page = "{\"value\": [" + join(mixed_records(4, false), ",") +
                           "], \"nextLink\": \"https://management.azure.com/next?$skiptoken=abc\"}";
  check_every_window(page);
  check_every_window(R"({"nextLink": null, "value": [)" + rest_record(1) + "]}" + page);
  const std::string graph = R"({"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#auditLogs/directoryAudits", "value": [)" +
                            rest_record(1) + "," + rest_record(2) + "]}";
  const Trace whole = read_whole(graph);
  CHECK(summary(whole).find("Graph") != std::string::npos);
  check_every_window(graph);
  check_every_window(graph + "\n" + page);
}

TEST_CASE("damaged envelopes are reported as in a whole read", "[stream]") {
  const std::string records = "[" + storage_record(1) + "]";
  // Stray content between envelopes, a records key that is not an array, a missing colon,
  // a key that is not a string, and a truncated envelope.
  check_every_window("{\"records\": " + records + "} garbage [1,2] \"s\" {\"records\": " + records + "}");
  check_every_window("{\"records\": {\"a\": [1]}, \"value\": \"x\"} {\"records\": " + records + "}");
  check_every_window("{\"records\": " + records + ", \"x\" 1}");
  check_every_window("{\"records\": " + records + ", 12: 1}");
  check_every_window("{\"records\": " + records + "}\n{\"records\": [" + storage_record(2));
}

TEST_CASE("an envelope cut anywhere reads as a whole read of the same bytes", "[stream]") {
  check_every_cut(R"({"@odata.context": "x#y", "records": [)" + storage_record(1) + "," + rest_record(2) +
                      R"(], "nextLink": "n"} {"value": [)" + storage_record(3) + "]}",
                  4);
}

TEST_CASE("concatenated objects read in small windows as a whole read does", "[stream]") {
  const std::vector<std::string> records = mixed_records(6, true);
  check_every_window(join(records, "\n"));
  check_every_window(join(records, ""));
  check_every_window(join(records, "\n") + "\n" + storage_record(7).substr(0, 100));
  check_every_cut(join(mixed_records(2, true), "\n"), 7);
}

TEST_CASE("a record larger than the window grows the window in every streamed shape", "[stream]") {
  const std::string big = storage_record(1, ",\"big\":\"" + std::string(5000, 'x') + "\"");
  check_every_window("[" + storage_record(0) + "," + big + "," + storage_record(2) + "]");
  check_every_window("{\"records\": [" + big + "], \"nextLink\": \"" + std::string(3000, 'n') + "\"}");
  check_every_window(pretty(big) + "\n" + pretty(storage_record(2)));
}

TEST_CASE("a streamed array whose head ends inside a character checks it with the bytes after it", "[stream]") {
  // The head (the first window) is valid up to the character it cuts; the window reader
  // takes the head's check as done up to there, not past it. Here the cut character's
  // next byte cannot continue it, so it is repaired as in a whole read.
  auto array_with = [](std::size_t filler, const char* tail) {
    // (The newline ends the head at the window: without one the head reads on for a line.)
    return "[\n" + storage_record(0, ",\"x\":\"" + std::string(filler, 'a') + tail + "\"") + ",\n" + storage_record(1) + "]";
  };
  const std::size_t at = array_with(0, "").find("\"x\":\"") + 5;  // where the filler starts
  REQUIRE(at > 5);
  for (const char* tail : {"\xC3" "A", "\xC3\xA9"}) {
    const std::string text = array_with(40, tail);
    const std::size_t window = at + 40 + 1;  // the window's last byte is 0xC3
    REQUIRE(static_cast<unsigned char>(text[window - 1]) == 0xC3);
    const Trace whole = read_whole(text);
    CHECK(whole.encoding == (tail[1] == 'A' ? "windows-1252" : "utf-8"));
    CHECK(read_streamed(text, window) == whole);
  }
}

TEST_CASE("invalid UTF-8 and a byte-order mark in a streamed array read as in a whole read", "[stream]") {
  std::vector<std::string> records;
  for (int i = 0; i < 10; ++i) records.push_back(storage_record(i, ",\"x\":\"caf\xE9 \xC3\xA9t\xE9 \xE2\x82\xAC \xF0\x9F\x98\x80\""));
  const std::string text = "[" + join(records, ",") + "]";
  const Trace whole = read_whole(text);
  CHECK(whole.encoding == "windows-1252");
  // Every window size around a multi-byte character's bytes.
  for (std::size_t window = 64; window < 80; ++window) {
    INFO("window " << window);
    CHECK(read_streamed(text, window) == whole);
  }
  check_every_window("\xEF\xBB\xBF" + text);
  check_every_window("\xEF\xBB\xBF{\"records\":[" + storage_record(1, ",\"x\":\"\xC3\xA9\"") + "]}");
}

TEST_CASE("a gzip array is inflated and walked as it is read", "[stream]") {
  const std::string text = "[" + join(mixed_records(30, true), ",") + "]";
  const Trace whole = read_whole(text);
  for (std::size_t window : {std::size_t{64}, std::size_t{1000}, std::size_t{1} << 20}) {
    INFO("window " << window);
    CHECK(read_streamed(gzip_bytes(text), window) == whole);
  }
}

TEST_CASE("arrays and envelopes are streamed: events arrive before the input is read to its end", "[stream]") {
  // (Indented, as az CLI prints: the stream's head reads on to the first newline.)
  const std::string array = "[" + join(mixed_records(200, true), ",") + "]";
  const std::string records = "{\"records\": " + array + "}";
  for (const std::string& text : {array, records, join(mixed_records(200, true), "\n")}) {
    input::Stream stream;
    open_stream(text, 4096, &stream);
    record::Reader reader;
    std::uint64_t read_at_first = 0, events = 0;
    reader.read_stream(stream, [&](const record::EventView&) {
      if (events++ == 0) read_at_first = stream.source_bytes();
    });
    CHECK(events == 200);
    CHECK(read_at_first < text.size() / 4);
    CHECK(stream.source_bytes() == text.size());
  }
}

TEST_CASE("a truncated gzip array keeps the records before the cut and says where it stopped", "[stream]") {
  for (const record::ReadResult& r : read_truncated_gzip("[" + join(mixed_records(400, true), ",\n") + "]")) {
    CHECK(r.shape == record::Shape::json_array);
    // Only the read error: the record cut by it is not reported as a truncated record.
    REQUIRE(r.issues.size() == 1);
    CHECK(r.issues.front().reason.find("gzip") != std::string::npos);
    CHECK(r.issues.front().reason.find("the records before it were scanned") != std::string::npos);
  }
}

TEST_CASE("numbers and literals cut by a window end are read whole, as in a whole read", "[stream]") {
  // value_end() ends a scalar at the end of the text: one cut by a window must wait for the
  // rest. Every window size puts the cut somewhere else.
  const std::string text = "{\"count\": 1234567890123, \"records\": [" + storage_record(1) +
                           ", 98765432109876, true, null, -1.5e300], \"flag\": false, \"n\": 31415926535}\n" +
                           "[12345678901234567890, 3]";
  const Trace whole = read_whole("\n" + text);
  for (std::size_t window = 64; window < 200; ++window) {
    INFO("window " << window);
    CHECK(read_streamed("\n" + text, window) == whole);
  }
}

TEST_CASE("a file that becomes shorter while its chunks are read gives an error, not a short read", "[stream]") {
  char name[] = "/tmp/azd_shrink_XXXXXX";
  const int fd = mkstemp(name);
  REQUIRE(fd >= 0);
  std::string text;
  for (int i = 0; i < 200; ++i) text += R"({"operationName":"x","n":)" + std::to_string(i) + "}\n";
  REQUIRE(::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
  ::close(fd);

  input::OpenOptions opt;
  opt.window = 256;
  input::Stream s;
  std::string err, storage, carry;
  REQUIRE(s.open(name, opt, &err));
  std::string_view block;
  REQUIRE(s.take_lines(&storage, &block, &err));
  REQUIRE(s.chunkable());
  std::uint64_t pos = 0, end = 0;
  s.begin_chunks(&carry, &pos, &end);
  REQUIRE(end == text.size());
  std::string buf(4096, '\0');
  REQUIRE(s.read_at(pos, buf.data(), 100, &err));  // before the cut: read as usual

  REQUIRE(::truncate(name, static_cast<off_t>(text.size() / 2)) == 0);
  // A chunk that straddles the new end, and one wholly past it.
  CHECK_FALSE(s.read_at(text.size() / 2 - 50, buf.data(), 100, &err));
  CHECK(err.find("became shorter") != std::string::npos);
  err.clear();
  CHECK_FALSE(s.read_at(text.size() - 100, buf.data(), 100, &err));
  CHECK(err.find("became shorter") != std::string::npos);
  std::remove(name);
}
