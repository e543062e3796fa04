// Helpers shared by the unit tests: reading text through the real input and record layers.
#pragma once

#include <zlib.h>

#include <string>
#include <string_view>
#include <vector>

#include "input/input.h"
#include "record/record.h"

namespace azd::test {

/// An event copied out of the reader's callback (views are only valid inside it).
struct OwnedEvent {
  record::Ticks time;
  record::Status status;
  std::string operation, status_text, substatus, status_message, caller, caller_ip, resource_id,
      subscription, resource_group, provider, resource_type, resource_name, category, level,
      correlation_id, operation_id, event_id, app_id;
  std::uint64_t offset, line;
};

struct Read {
  record::ReadResult result;
  std::vector<OwnedEvent> events;
  input::Buffer buffer;
};

inline Read read_text(std::string_view bytes) {
  Read r;
  std::string err;
  input::buffer_from_bytes(bytes, input::OpenOptions{}, &r.buffer, &err);
  record::Reader reader;
  r.result = reader.read(r.buffer.text(), [&](const record::EventView& ev) {
    r.events.push_back({ev.time, ev.status, std::string(ev.operation), std::string(ev.status_text),
                        std::string(ev.substatus), std::string(ev.status_message), std::string(ev.caller),
                        std::string(ev.caller_ip), std::string(ev.resource_id), std::string(ev.subscription),
                        std::string(ev.resource_group), std::string(ev.provider), std::string(ev.resource_type),
                        std::string(ev.resource_name), std::string(ev.category), std::string(ev.level),
                        std::string(ev.correlation_id), std::string(ev.operation_id), std::string(ev.event_id),
                        std::string(ev.app_id), ev.offset, ev.source->line_of(ev.offset)});
  });
  return r;
}

/// `plain` as one gzip member, as a third-party archiver would write it.
inline std::string gzip_bytes(std::string_view plain) {
  z_stream zs{};
  deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(compressBound(static_cast<uLong>(plain.size())) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(plain.data()));
  zs.avail_in = static_cast<uInt>(plain.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

}  // namespace azd::test
