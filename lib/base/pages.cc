// prefault(): madvise(MADV_POPULATE_WRITE) over the whole pages of a range.
#include "base/pages.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23  // Linux 5.14; older C library headers lack the name
#endif

namespace azd::base {

void prefault(void* p, std::size_t n) {
  constexpr std::size_t kMinimum = std::size_t{64} << 10;
  if (n < kMinimum) return;
  static const std::uintptr_t page = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
  const std::uintptr_t begin = (reinterpret_cast<std::uintptr_t>(p) + page - 1) & ~(page - 1);
  const std::uintptr_t end = (reinterpret_cast<std::uintptr_t>(p) + n) & ~(page - 1);
  // A hint: where the kernel refuses (EINVAL before 5.14), the pages fault in as before.
  if (end > begin) (void)madvise(reinterpret_cast<void*>(begin), end - begin, MADV_POPULATE_WRITE);
}

void reserve_prefaulted(std::string* s, std::size_t n) {
  if (s->capacity() >= n) return;
  s->reserve(n);
  prefault(s->data(), s->capacity());
}

}  // namespace azd::base
