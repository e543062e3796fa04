#include "cli/inputs.h"

#include <cstdio>
#include <filesystem>

#include "base/text.h"
#include "input/input.h"

namespace azd::cli {
namespace {

// Reads one input through record/ and describes what it held.
report::InputReport read_one(const std::string& path, const input::OpenOptions& open_options, record::Reader& reader,
                             const InputCallbacks& cb, report::Progress* progress, std::uint64_t done_before) {
  report::InputReport rep;
  rep.path = path;
  input::Stream stream;
  std::string err;
  if (!stream.open(path, open_options, &err)) {
    rep.readable = false;
    rep.error_count = 1;
    rep.errors.push_back({0, 0, err});
    return rep;
  }
  if (cb.begin) cb.begin(path);
  record::ReadResult result;
  if (progress) {
    std::uint64_t n = 0;
    result = reader.read_stream(stream, [&](const record::EventView& ev) {
      cb.on_event(ev);
      if ((++n & 1023) == 0) progress->update(done_before + stream.source_bytes(), path);
    });
  } else {
    result = reader.read_stream(stream, cb.on_event);
  }
  rep.readable = !result.fatal;
  rep.error_count = result.issue_count;
  rep.errors = std::move(result.issues);
  // An input refused whole (a gzip bomb, a read error) has no shape or encoding to speak of.
  if (result.fatal && result.shape == record::Shape::unknown) return rep;
  rep.encoding = std::string(input::encoding_name(stream.encoding()));
  rep.gzip = stream.gzip();
  rep.bytes = stream.source_bytes();
  rep.shape = std::string(record::shape_name(result.shape));
  rep.detail = result.detail;
  rep.activity_log = result.activity_log;
  rep.records = result.records;
  rep.events = result.events;
  rep.skipped = result.skipped;
  if (!rep.activity_log && rep.detail.empty() && !rep.errors.empty()) rep.detail = rep.errors.front().reason;
  return rep;
}

}  // namespace

void read_inputs(const std::vector<std::string>& paths, const input::OpenOptions& open_options, record::Reader& reader,
                 const InputCallbacks& callbacks, report::Progress* progress) {
  std::vector<input::PathError> path_errors;
  const std::vector<std::string> files = input::expand_paths(paths, &path_errors);
  for (const input::PathError& e : path_errors) {
    report::InputReport in;
    in.path = e.path;
    in.readable = false;
    in.error_count = 1;
    in.errors.push_back({0, 0, e.reason});
    callbacks.on_input(in);
  }
  if (progress) {
    std::uint64_t total = 0;
    for (const std::string& f : files) {
      std::error_code ec;
      const auto size = f == "-" ? 0 : std::filesystem::file_size(f, ec);
      total += ec ? 0 : size;
    }
    progress->start(total);
  }
  std::uint64_t done = 0;
  for (const std::string& path : files) {
    report::InputReport in = read_one(path, open_options, reader, callbacks, progress, done);
    done += in.bytes;
    if (progress) progress->clear();  // so messages about the input start on a clean line
    callbacks.on_input(in);
  }
  if (progress) progress->finish();
}

void report_unreadable(const report::InputReport& in) {
  if (in.readable) return;
  std::fprintf(stderr, "azdetect: %s: not read: %s\n", base::escape_for_terminal(in.path).c_str(),
               in.errors.empty() ? "" : base::escape_for_terminal(in.errors.front().reason).c_str());
}

}  // namespace azd::cli
