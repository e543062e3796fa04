// base: the pages behind large, long-lived buffers (read windows, duplicate keys). In the
// virtual machines azdetect runs on, the first touch of a fresh page is a fault that costs
// 7-10 µs, far more than the bytes it holds; asking the kernel for a buffer's pages in one
// call costs about a seventh of that (docs/performance.md, page faults).
#pragma once

#include <cstddef>
#include <string>

namespace azd::base {

/// Maps in, writable, the pages wholly inside [p, p + n) that are not mapped in yet, in one
/// system call (MADV_POPULATE_WRITE) instead of a fault at each first touch. The contents
/// do not change. Does nothing for ranges under 64 KiB (their few faults cost less than the
/// call) or on kernels before Linux 5.14, which do not have it.
void prefault(void* p, std::size_t n);

/// s->reserve(n), with the pages of any new allocation mapped in by prefault().
void reserve_prefaulted(std::string* s, std::size_t n);

}  // namespace azd::base
