// The progress line of long scans (see report.h). It writes "\r", the text and "erase to end
// of line", so nothing scrolls; the file name comes from the command line or a directory walk
// and is escaped like any other untrusted text.
#include <fmt/format.h>

#include <chrono>

#include "base/text.h"
#include "report/layout.h"
#include "report/report.h"

namespace azd::report {
namespace {

constexpr std::int64_t kFirstDrawNs = 1'000'000'000;   // quiet for the first second
constexpr std::int64_t kRedrawNs = 200'000'000;        // then at most 5 redraws a second

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string duration_text(double seconds) {
  const auto s = static_cast<std::uint64_t>(seconds + 0.5);
  if (s >= 3600) return fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
  return fmt::format("{}:{:02}", s / 60, s % 60);
}

}  // namespace

void Progress::start(std::uint64_t total_bytes) {
  total_ = total_bytes;
  started_ns_ = now_ns();
  last_draw_ns_ = started_ns_;
}

void Progress::update(std::uint64_t done_bytes, std::string_view current) {
  const std::int64_t now = now_ns();
  if (now - started_ns_ < kFirstDrawNs || now - last_draw_ns_ < kRedrawNs) return;
  last_draw_ns_ = now;
  const double elapsed = static_cast<double>(now - started_ns_) / 1e9;
  const double rate = static_cast<double>(done_bytes) / elapsed;
  std::string line = fmt::format("{:.1f}/{:.1f} MB", static_cast<double>(done_bytes) / 1e6, static_cast<double>(total_) / 1e6);
  if (total_ > 0 && done_bytes <= total_) {
    line = fmt::format("{:5.1f}%  ", 100.0 * static_cast<double>(done_bytes) / static_cast<double>(total_)) + line;
  }
  line += fmt::format("  {:.1f} MB/s", rate / 1e6);
  if (total_ > done_bytes && rate > 0) line += "  ETA " + duration_text(static_cast<double>(total_ - done_bytes) / rate);
  line += "  " + detail::fit(base::escape_for_terminal(current), 40);
  const std::string text = "\r" + line + "\x1b[K";
  std::fwrite(text.data(), 1, text.size(), err_);
  std::fflush(err_);
  shown_ = true;
}

void Progress::clear() {
  if (!shown_) return;
  std::fputs("\r\x1b[K", err_);
  std::fflush(err_);
  shown_ = false;
}

}  // namespace azd::report
