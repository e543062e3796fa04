// Test helper, preloaded into azdetect (LD_PRELOAD) by tests/cli/cases/scan_chunk_read_error.cmd:
// pread() fails with EIO, as a disk or network file system can, for every read that covers
// byte AZD_FAIL_PREAD_AT of a file; other reads go to the C library. azdetect reads a JSON
// Lines file's chunks with pread (and nothing else with it), so this makes one chunk of a
// shared file unreadable without a test knob in the product.
#include <dlfcn.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

extern "C" ssize_t pread(int fd, void* buf, size_t count, off_t offset) {
  using Pread = ssize_t (*)(int, void*, size_t, off_t);
  static const Pread next = reinterpret_cast<Pread>(dlsym(RTLD_NEXT, "pread"));
  static const long long fail_at = [] {
    const char* at = std::getenv("AZD_FAIL_PREAD_AT");
    return at ? std::atoll(at) : -1LL;
  }();
  if (fail_at >= offset && fail_at < offset + static_cast<long long>(count)) {
    errno = EIO;
    return -1;
  }
  return next(fd, buf, count, offset);
}
