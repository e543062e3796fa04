// Fuzz target: untrusted bytes through everything a log file meets before the engine.
// bytes -> input::buffer_from_bytes (gzip, BOMs, UTF-16, code-page repair) -> record::Reader
// (shape sniffing, every walker, field mapping, time parsing) -> the EventSource calls that
// rules make (raw_field at several depths, line_of). Besides the sanitizers, it checks the
// reader's accounting invariant, so a record that is silently lost is a crash too.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "input/input.h"
#include "record/record.h"

namespace {

// Paths a rule may name: plain, nested, into JSON held in a string, and nonsense.
constexpr std::string_view kRawPaths[] = {
    "properties.statusMessage.error.code", "properties.requestbody.properties.principalId",
    "claims.ipaddr", "identity.claims.appid", "httpRequest.clientIpAddress", "operationName.value",
    "properties", "a.b.c.d.e.f.g", "", ".", "..x"};

// What the whole read delivered, to compare the streamed read against.
struct Seen {
  std::uint64_t offset = 0, line = 0;
  std::string operation, raw, caller, app_id, resource;
  bool raw_found[std::size(kRawPaths)] = {};
  std::string raw_values[std::size(kRawPaths)];
};

void require(bool ok) {
  if (!ok) std::abort();  // reported by libFuzzer as a crash with the input saved
}

// What a lazy reader leaves for later besides the claims: the resource id's parts.
std::string resource_parts(const azd::record::EventView& ev) {
  std::string out;
  for (std::string_view s : {ev.subscription, ev.resource_group, ev.provider, ev.resource_type, ev.resource_name}) {
    out += s;
    out += '\n';
  }
  return out;
}

// Reads every byte of a view, so ASan sees any view that points outside live memory.
std::size_t touch(std::string_view s) {
  std::size_t sum = 0;
  for (char c : s) sum += static_cast<unsigned char>(c);
  return sum;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  azd::input::OpenOptions options;
  options.max_decompressed = 1 << 20;  // a bomb must stop at the cap, not exhaust the fuzzer
  azd::input::Buffer buffer;
  std::string err;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  if (!azd::input::buffer_from_bytes(bytes, options, &buffer, &err)) {
    require(!err.empty());
    return 0;
  }
  const std::string_view text = buffer.text();
  // The padding promise every parser relies on: kPadding readable bytes after the text.
  std::size_t sum = touch(std::string_view(text.data() + text.size(), azd::input::kPadding));

  // One reader for the whole run, as the CLI keeps one per thread: state must not leak
  // from one input into the next.
  static azd::record::Reader reader;
  std::uint64_t delivered = 0, last_offset = 0;
  std::vector<Seen> seen;
  azd::record::ReadResult result = reader.read(text, [&](const azd::record::EventView& ev) {
    ++delivered;
    require(ev.source != nullptr);
    require(ev.offset < text.size() || text.empty());
    require(delivered == 1 || ev.offset >= last_offset);  // events come in input order
    last_offset = ev.offset;
    for (std::string_view v : {ev.time_text, ev.operation, ev.operation_display, ev.status_text,
                               ev.substatus, ev.status_message, ev.caller, ev.caller_ip, ev.resource_id,
                               ev.subscription, ev.resource_group, ev.provider, ev.resource_type,
                               ev.resource_name, ev.category, ev.level, ev.correlation_id, ev.operation_id,
                               ev.event_id, ev.event_name, ev.http_method, ev.tenant_id, ev.app_id,
                               ev.authorization_action, ev.authorization_scope, ev.raw}) {
      sum += touch(v);
    }
    if (ev.time != azd::record::kNoTime) sum += azd::record::format_time(ev.time).size();
    require(ev.source->line_of(ev.offset) >= 1);
    Seen& now = seen.emplace_back();
    now.offset = ev.offset;
    now.line = ev.source->line_of(ev.offset);
    now.operation = ev.operation;
    now.raw = ev.raw;
    require(!ev.pending);  // a reader maps everything unless asked to be lazy
    now.caller = ev.caller;
    now.app_id = ev.app_id;
    now.resource = resource_parts(ev);
    for (std::size_t k = 0; k < std::size(kRawPaths); ++k) {
      std::string v;
      now.raw_found[k] = ev.source->raw_field(kRawPaths[k], &v);
      now.raw_values[k] = std::move(v);
    }
    // Two paths per event, varying with the input, keep an execution cheap while every
    // path is still tried across the run.
    std::string value;
    constexpr std::size_t kPaths = std::size(kRawPaths);
    for (std::size_t k : {delivered % kPaths, (size + delivered * 7) % kPaths}) {
      if (ev.source->raw_field(kRawPaths[k], &value)) sum += touch(value);
    }
    // Line numbers must also work when asked out of order (evidence is resolved later).
    require(ev.source->line_of(0) == 1);
    require(ev.source->line_of(text.size() + 10) >= 1);
  });
  require(result.events == delivered);
  require(result.records == result.events + result.skipped);
  require(result.issues.size() <= azd::record::kMaxIssues);
  require(result.issues.size() <= result.issue_count);
  require(result.skipped <= result.issue_count);
  for (const azd::record::ReadIssue& issue : result.issues) {
    require(issue.line >= 1 && !issue.reason.empty());
    require(issue.offset <= text.size());
  }
  // The cheap sniff must agree with what read() decided.
  require(azd::record::sniff_shape(text) == result.shape);

  // Streaming must not change the answer: the same bytes read through a Stream with a small
  // window (records split across reads, windows grown for long lines) give the same events
  // at the same offsets and lines, with the same raw fields, and the same counts and issues.
  options.window = 64 + size % 193;
  azd::input::Stream stream;
  if (stream.open_bytes(bytes, options, &err)) {
    std::uint64_t streamed = 0;
    std::string a;
    // Another reader, with raw_field() always parsing the whole record: the shortcut that
    // answers from the captured properties fields is checked against the full parse too.
    // It leaves the claims and the resource id's parts for later, as the scan does:
    // completed, they must give the same caller, app id and parts.
    static azd::record::Reader full_parse;
    full_parse.set_raw_field_shortcut(false);
    full_parse.set_lazy(true);
    azd::record::ReadResult again = full_parse.read_stream(stream, [&](const azd::record::EventView& ev) {
      ++streamed;
      require(!seen.empty() && streamed <= seen.size());
      const Seen& want = seen[streamed - 1];
      require(ev.offset == want.offset && ev.source->line_of(ev.offset) == want.line);
      require(ev.operation == want.operation && ev.raw == want.raw);
      azd::record::EventView completed = ev;
      ev.source->complete(&completed);
      require(!completed.pending && completed.caller == want.caller && completed.app_id == want.app_id);
      require(resource_parts(completed) == want.resource);
      const std::string_view path = kRawPaths[streamed % std::size(kRawPaths)];
      const bool has = ev.source->raw_field(path, &a);
      require(has == want.raw_found[streamed % std::size(kRawPaths)]);
      if (has) require(a == want.raw_values[streamed % std::size(kRawPaths)]);
    });
    if (!again.fatal) {
      require(again.records == result.records && again.events == result.events && again.skipped == result.skipped);
      require(again.issue_count == result.issue_count && again.issues.size() == result.issues.size());
      for (std::size_t i = 0; i < again.issues.size(); ++i) {
        require(again.issues[i].offset == result.issues[i].offset && again.issues[i].line == result.issues[i].line &&
                again.issues[i].reason == result.issues[i].reason);
      }
      require(again.detail == result.detail && again.activity_log == result.activity_log);
    }
  }

  // Threads read the rest of a JSON Lines file in chunks at their positions, each joined to
  // the line the one before left unfinished: the blocks must add up to the text the stream
  // hands out in order, with the same repairs, whatever the window and chunk sizes.
  {
    azd::input::OpenOptions small;
    small.window = 64 + size % 157;
    azd::input::Stream ordered, chunked;
    std::string e1, e2;
    if (ordered.open_bytes(bytes, small, &e1) && chunked.open_bytes(bytes, small, &e2)) {
      std::string want, got, storage, carry, buf, repaired;
      std::string_view block;
      bool ok = true;
      if (ordered.line_readable()) {
        while ((ok = ordered.next_lines(&block, &e1)) && !block.empty()) want += block;
      }
      if (ok && ordered.line_readable() && chunked.take_lines(&storage, &block, &e2)) {
        got += block;
        if (chunked.chunkable()) {
          std::uint64_t pos = 0, end = 0;
          chunked.begin_chunks(&carry, &pos, &end);
          const std::size_t chunk = 1 + size % 211, room = size % 97;
          do {
            const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(chunk, end - pos));
            buf.assign(room + n + azd::input::kPadding, '?');
            require(chunked.read_at(pos, buf.data() + room, n, &e2));
            pos += n;
            std::uint64_t invalid = 0;
            azd::input::join_chunk(&buf, room, n, pos >= end, &carry, &repaired, &block, &invalid);
            chunked.note_chunk(n, invalid);
            require(pos >= end || block.empty() || block.back() == '\n');
            got += block;
          } while (pos < end);
        } else {
          while (chunked.take_lines(&storage, &block, &e2) && !block.empty()) got += block;
        }
        require(got == want);
        require(chunked.invalid_utf8() == ordered.invalid_utf8() && chunked.encoding() == ordered.encoding());
      }
    }
  }
  return sum == 0xFFFFFFFF ? 1 : 0;  // keeps `sum` alive without affecting the fuzzer
}
