// base: the pages behind large, long-lived buffers (read windows, duplicate keys), and how
// the C library's allocator keeps memory. In the virtual machines azdetect runs on, the
// first touch of a fresh page is a fault that costs 7-10 µs, far more than the bytes it
// holds; asking the kernel for a buffer's pages in one call costs about a seventh of that
// (docs/performance.md, page faults).
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

/// Anonymous, private, read-write pages of their own (mmap), `n` bytes rounded up to whole
/// pages; nullptr when the kernel refuses. Free with unmap_pages(p, n).
void* map_pages(std::size_t n);
/// Grows or shrinks pages from map_pages() from `old_n` to `new_n` bytes, moving them to
/// another address when they cannot grow where they are (mremap): the kernel moves the
/// pages, it copies no bytes. nullptr when it refuses (the old pages are then unchanged).
void* remap_pages(void* p, std::size_t old_n, std::size_t new_n);
void unmap_pages(void* p, std::size_t n);

/// Process-wide, once at start (glibc's allocator):
/// * memory freed is kept for the next allocation: no trimming of the heap, and blocks up
///   to 32 MiB come from the heap rather than from mappings of their own, which are
///   unmapped when freed. A scan is a short run whose phases free and allocate in turns;
///   memory handed back to the kernel between them is faulted in again a page at a time.
///   Peak memory does not change: only what was freed is kept.
/// * the heap grows 1 MiB at a time, and its first MiB is mapped in with prefault().
void prepare_heap();

/// Maps in `n` bytes of the calling thread's heap ahead of the allocations that will use
/// them (a block allocated, prefault()ed, and freed: prepare_heap() keeps it), for memory a
/// run is known to need a little at a time. Nothing under 64 KiB, at most 16 MiB.
void reserve_heap(std::size_t n);

}  // namespace azd::base
