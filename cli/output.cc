#include "cli/output.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "base/text.h"
#include "cli/options.h"

namespace azd::cli {
namespace {

// SOURCE_DATE_EPOCH (reproducible-builds.org): seconds since 1970, decimal.
bool reproducible_epoch(std::int64_t* seconds) {
  const char* env = std::getenv("SOURCE_DATE_EPOCH");
  if (!env || !*env) return false;
  char* end = nullptr;
  const long long v = std::strtoll(env, &end, 10);
  if (*end != '\0' || v < 0) return false;
  *seconds = v;
  return true;
}

}  // namespace

Output::~Output() {
  if (file_ && file_ != stdout) std::fclose(file_);
}

bool Output::open(const std::string& path, bool force) {
  path_ = path;
  if (!path.empty()) {
    // O_EXCL: an existing file is never touched without --force, so a wrapper cannot mistake
    // an old report for this run's (peers.md 3.6).
    const int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (force ? O_TRUNC : O_EXCL);
    const int fd = ::open(path.c_str(), flags, 0644);
    std::FILE* f = fd < 0 ? nullptr : ::fdopen(fd, "w");
    if (!f) {
      const char* why = errno == EEXIST ? "exists; pass --force to overwrite it" : std::strerror(errno);
      std::fprintf(stderr, "azdetect: -o %s: %s\n", base::escape_for_terminal(path).c_str(), why);
      if (fd >= 0) ::close(fd);
      return false;
    }
    file_ = f;
  }
  terminal_ = ::isatty(::fileno(file_)) == 1;
  return true;
}

report::Format Output::format(const std::string& requested) const {
  report::Format f = terminal_ ? report::Format::table : report::Format::json;
  if (requested != "auto") report::parse_format(requested, &f);
  return f;
}

bool Output::color(const std::string& mode) const {
  const char* no_color = std::getenv("NO_COLOR");  // no-color.org: set and non-empty
  return mode == "always" || (mode == "auto" && terminal_ && !(no_color && *no_color));
}

int Output::finish(int write_error) {
  if (file_ != stdout) {
    const int rc = std::fclose(file_);
    file_ = nullptr;
    if (rc != 0 && write_error == 0) write_error = errno;
  }
  if (write_error == 0 || write_error == EPIPE) return -1;
  std::fprintf(stderr, "azdetect: writing results to %s: %s\n",
               path_.empty() ? "standard output" : base::escape_for_terminal(path_).c_str(), std::strerror(write_error));
  return kExitError;
}

RunClock::RunClock() : start_(std::chrono::steady_clock::now()) {
  std::int64_t epoch = 0;
  fixed_ = reproducible_epoch(&epoch);
  if (fixed_) {
    started_ = record::format_time(epoch * record::kTicksPerSecond);
  } else {
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    started_ = record::format_time(std::chrono::duration_cast<std::chrono::nanoseconds>(now).count() / 100);
  }
}

double RunClock::elapsed_seconds() const {
  return fixed_ ? 0 : std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

int terminal_width() {
  if (const char* cols = std::getenv("COLUMNS")) {
    const int n = std::atoi(cols);
    if (n > 0) return n;
  }
  return 120;
}

std::unique_ptr<report::Progress> make_progress(bool quiet) {
  // Never in pipes, files or tests: progress is for a person watching a terminal.
  if (quiet || ::isatty(STDERR_FILENO) != 1) return nullptr;
  return std::make_unique<report::Progress>(stderr);
}

}  // namespace azd::cli
