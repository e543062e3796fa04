// Helpers shared by the unit tests: reading text through the real input and record layers.
#pragma once

#include <zlib.h>

#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"
#include "engine/engine.h"
#include "input/input.h"
#include "record/record.h"

namespace azd::test {

/// An event copied out of the reader's callback (views are only valid inside it).
struct OwnedEvent {
  record::Ticks time;
  record::Status status;
  std::string operation, operation_display, status_text, substatus, status_message, caller, caller_ip, resource_id,
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
    r.events.push_back({ev.time, ev.status, std::string(ev.operation), std::string(ev.operation_display),
                        std::string(ev.status_text),
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

/// One storage-shaped (PT1H.json) JSON Lines record, with a caller UPN claim and, when
/// given, a caller IP and an authorization action.
inline std::string storage_line(std::string_view time, std::string_view op, std::string_view result,
                                std::string_view resource, std::string_view corr,
                                std::string_view caller = "eve@contoso.com", std::string_view ip = "",
                                std::string_view action = "") {
  std::string s = "{\"time\":\"" + std::string(time) + "\",\"operationName\":\"" + std::string(op) +
                  "\",\"category\":\"Administrative\",\"resultType\":\"" + std::string(result) +
                  "\",\"resourceId\":\"" + std::string(resource) + "\",\"correlationId\":\"" + std::string(corr) + "\"";
  if (!ip.empty()) s += ",\"callerIpAddress\":\"" + std::string(ip) + "\"";
  s += ",\"identity\":{";
  if (!action.empty()) s += "\"authorization\":{\"action\":\"" + std::string(action) + "\"},";
  s += "\"claims\":{\"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn\":\"" + std::string(caller) +
       "\"}}}\n";
  return s;
}

/// Decodes `bytes` as the input layer does and reads them with `reader`, calling `on_event`
/// for each event as delivered. Bytes that cannot be decoded give a fatal result.
inline record::ReadResult read_events(record::Reader& reader, std::string_view bytes,
                                      const record::EventCallback& on_event) {
  input::Buffer b;
  std::string err;
  if (!input::buffer_from_bytes(bytes, input::OpenOptions{}, &b, &err)) {
    record::ReadResult failed;
    failed.fatal = true;
    failed.detail = err;
    return failed;
  }
  return reader.read(b.text(), on_event);
}

/// read_events() with a reader of its own, lazy (record::Reader::set_lazy) or not.
inline record::ReadResult read_events(std::string_view bytes, bool lazy, const record::EventCallback& on_event) {
  record::Reader reader;
  reader.set_lazy(lazy);
  return read_events(reader, bytes, on_event);
}

/// Feeds `engine` every input text in turn (named input0, input1, ..., index 0, 1, ...).
/// The reader leaves the claims for the engine to complete, as `azdetect scan` does.
inline void feed(engine::Engine& engine, const std::vector<std::string>& inputs, int first_name = 0,
                 bool lazy = true) {
  record::Reader reader;
  reader.set_lazy(lazy);
  int n = first_name;
  for (const std::string& text : inputs) {
    engine.begin_input("input" + std::to_string(n), static_cast<std::size_t>(n));
    ++n;
    read_events(reader, text, [&](const record::EventView& ev) { engine.on_event(ev); });
  }
}

/// Runs a catalog over the inputs with one engine.
inline std::vector<engine::Finding> run(const catalog::Catalog& c, const std::vector<std::string>& inputs,
                                        engine::EngineOptions options = {}) {
  engine::Engine e(c, std::move(options));
  feed(e, inputs);
  return e.finish();
}

/// The built-in catalog.
inline catalog::Catalog builtin() {
  catalog::Catalog c;
  std::vector<catalog::LintError> errors;
  catalog::load_builtin(&c, &errors);
  return c;
}

}  // namespace azd::test
