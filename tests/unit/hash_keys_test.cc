#include <catch2/catch.hpp>

#include <cstdint>
#include <random>
#include <set>
#include <vector>

#include <sys/mman.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <cstdint>
#include <string>

#include "base/hash_keys.h"
#include "base/pages.h"

using azd::base::KeySet;

TEST_CASE("a key set tells a new key from one it has, including colliding keys", "[base][keyset]") {
  KeySet set;
  set.clear(10);
  const std::size_t slots = set.slots();
  // Keys that share their low bits land in the same slot and probe on.
  const std::vector<std::uint64_t> keys = {0, slots, 2 * slots, 1, ~std::uint64_t{0}};
  for (std::uint64_t k : keys) CHECK(set.insert(k));
  for (std::uint64_t k : keys) CHECK_FALSE(set.insert(k));
  CHECK(set.size() == keys.size());
}

TEST_CASE("a key set grows past its first size and keeps every key", "[base][keyset]") {
  KeySet set;
  set.clear(1);  // room for 8 to start with
  std::mt19937_64 rng(5);
  std::vector<std::uint64_t> keys(100000);
  for (std::uint64_t& k : keys) k = rng();
  for (std::uint64_t k : keys) CHECK(set.insert(k));
  CHECK(set.slots() >= 2 * keys.size());
  std::size_t found = 0;
  for (std::uint64_t k : keys) {
    if (!set.insert(k)) ++found;
  }
  CHECK(found == keys.size());
}

TEST_CASE("a cleared key set is empty, however many times it was cleared", "[base][keyset]") {
  KeySet set;
  std::mt19937_64 rng(9);
  // More clears than a 16-bit mark can count: the marks wrap and must all be reset then.
  for (int round = 0; round < 70000; ++round) {
    set.clear(4);
    const std::uint64_t a = rng(), b = rng();
    REQUIRE(set.insert(a));
    REQUIRE(set.insert(b) == (b != a));
    REQUIRE_FALSE(set.insert(a));
  }
  CHECK(set.size() == 2);

  // A key left in its slot 65,536 clears ago (its slot untouched since) is not in the set.
  KeySet quiet;
  quiet.clear(4);
  REQUIRE(quiet.insert(5));
  for (int round = 1; round < 65536; ++round) {
    quiet.clear(4);
    REQUIRE(quiet.insert(1));
  }
  quiet.clear(4);
  CHECK(quiet.insert(5));
}

TEST_CASE("a key set agrees with std::set on random batches with many copies", "[base][keyset]") {
  KeySet set;
  std::mt19937_64 rng(13);
  for (int batch = 0; batch < 50; ++batch) {
    std::set<std::uint64_t> model;
    const std::size_t n = 1 + rng() % 5000;
    set.clear(n);
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint64_t k = rng() % (n / 2 + 1);  // small values: copies and low-bit clashes
      REQUIRE(set.insert(k) == model.insert(k).second);
    }
    CHECK(set.size() == model.size());
  }
}

TEST_CASE("a key array keeps every key in order as it grows, and moves without copying", "[base][keyset]") {
  azd::base::KeyArray a;
  CHECK(a.empty());
  for (std::uint64_t i = 0; i < 300000; ++i) a.push_back(i * 7919);
  REQUIRE(a.size() == 300000);
  bool in_order = true;
  for (std::uint64_t i = 0; i < a.size(); ++i) in_order = in_order && a[i] == i * 7919;
  CHECK(in_order);
  const std::uint64_t* at = a.data();
  azd::base::KeyArray b(std::move(a));
  CHECK(b.data() == at);
  CHECK(b.size() == 300000);
  CHECK(a.empty());  // NOLINT(bugprone-use-after-move): a moved-from array is empty
  a.push_back(1);    // and usable
  CHECK(a.size() == 1);
  for (std::uint64_t i = 300000; i < 700000; ++i) b.push_back(i * 7919);  // past the next doubling
  in_order = b.size() == 700000;
  for (std::uint64_t i = 0; i < b.size(); ++i) in_order = in_order && b[i] == i * 7919;
  CHECK(in_order);
  b.release();
  CHECK(b.empty());
}

TEST_CASE("keys are sorted like std::sort sorts them, uniform or not, with and without copies", "[base][keyset]") {
  std::mt19937_64 rng(21);
  const std::size_t sizes[] = {0, 1, 63, 64, 65, 1000, 70000, 600000};
  for (const std::size_t n : sizes) {
    for (int kind = 0; kind < 4; ++kind) {
      INFO(n << " keys, kind " << kind);
      std::vector<std::uint64_t> keys(n);
      for (std::uint64_t& k : keys) {
        const std::uint64_t r = rng();
        // uniform; few distinct values (copies); equal top bytes (the sort must go down
        // every byte); small values (the high bytes all zero)
        k = kind == 0 ? r : kind == 1 ? (r % 7) * 0x0123456789abcdefULL : kind == 2 ? (0xabcdULL << 48) | (r >> 16) : r % 1000;
      }
      std::vector<std::uint64_t> want = keys;
      std::sort(want.begin(), want.end());
      azd::base::sort_keys(keys.data(), keys.size());
      const bool same = keys == want;  // (not CHECK(keys == want): Catch2 would print 600,000 keys)
      CHECK(same);
    }
  }
}

namespace {
// Pages of [p, p + n) the kernel has mapped in (mincore works on anonymous memory too).
std::size_t resident_pages(void* p, std::size_t n) {
  const std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  std::vector<unsigned char> v((n + page - 1) / page);
  if (mincore(p, n, v.data()) != 0) return SIZE_MAX;
  std::size_t resident = 0;
  for (unsigned char c : v) resident += c & 1;
  return resident;
}

// Whether this kernel has MADV_POPULATE_WRITE (Linux 5.14); prefault() is a no-op without it.
bool kernel_populates() {
  const std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  void* p = mmap(nullptr, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  const bool ok = madvise(p, page, 23 /* MADV_POPULATE_WRITE */) == 0;
  munmap(p, page);
  return ok;
}
}  // namespace

TEST_CASE("prefault maps in a buffer's whole pages at once and leaves its bytes alone", "[base][pages]") {
  const std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  const std::size_t pages = 64;
  char* p = static_cast<char*>(mmap(nullptr, pages * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
  REQUIRE(p != MAP_FAILED);
  p[0] = 'a';  // the first page is in, with a byte that must stay
  p[20 * page + 7] = 'b';
  REQUIRE(resident_pages(p, pages * page) == 2);
  // Half a page in at each end: the 62 pages wholly inside are mapped in, the two partial
  // ones only if they already were.
  azd::base::prefault(p + page / 2, (pages - 1) * page);
  CHECK(p[0] == 'a');
  CHECK(p[20 * page + 7] == 'b');
  if (!kernel_populates()) {
    WARN("this kernel has no MADV_POPULATE_WRITE: prefault() is a no-op here");
  } else {
    CHECK(resident_pages(p, pages * page) == pages - 1);  // all but the last, partial page
    CHECK(resident_pages(p + (pages - 1) * page, page) == 0);
  }
  // Small ranges are left to fault in.
  char* q = static_cast<char*>(mmap(nullptr, 8 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
  REQUIRE(q != MAP_FAILED);
  azd::base::prefault(q, 8 * page);
  CHECK(resident_pages(q, 8 * page) == 0);
  munmap(p, pages * page);
  munmap(q, 8 * page);
}

TEST_CASE("a string reserved with its pages prefaulted keeps its bytes and resizes as usual", "[base][pages]") {
  std::string s = "keep";
  azd::base::reserve_prefaulted(&s, std::size_t{3} << 20);
  CHECK(s == "keep");
  REQUIRE(s.capacity() >= std::size_t{3} << 20);
  const char* at = s.data();
  s.resize(std::size_t{3} << 20);
  CHECK(s.data() == at);  // no new allocation
  CHECK(s.substr(0, 4) == "keep");
  CHECK(s.find_first_not_of('\0', 4) == std::string::npos);
  azd::base::reserve_prefaulted(&s, 10);  // less than it has: nothing changes
  CHECK(s.data() == at);
  CHECK(s.size() == std::size_t{3} << 20);
}

TEST_CASE("a key array's memory follows the keys written, not its capacity", "[base][pages]") {
  const std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  azd::base::KeyArray a;
  // 2.5 M keys (20 MB) in an array of 4 M (32 MB): the last doubling left 12 MB unwritten.
  const std::size_t n = 2500000;
  for (std::uint64_t i = 0; i < n; ++i) a.push_back(i);
  REQUIRE(a.capacity() == std::size_t{1} << 22);
  const auto start = reinterpret_cast<std::uintptr_t>(a.data()) & ~(page - 1);
  const auto stop = reinterpret_cast<std::uintptr_t>(a.data() + a.capacity());
  const std::size_t resident = resident_pages(reinterpret_cast<void*>(start), stop - start);
  REQUIRE(resident != SIZE_MAX);
  // The keys' pages, plus at most the 1 MiB mapped in ahead of them (and a page at each end).
  CHECK(resident * page >= n * sizeof(std::uint64_t));
  CHECK(resident * page <= n * sizeof(std::uint64_t) + (std::size_t{1} << 20) + 2 * page);
}

TEST_CASE("a key array moves to pages of its own past 64 KiB, keeping its keys", "[base][pages]") {
  const std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  azd::base::KeyArray a;
  for (std::uint64_t i = 0; i < 8192; ++i) a.push_back(i * 31);  // 64 KiB: still a heap block
  REQUIRE(a.capacity() == 8192);
  a.push_back(8192 * 31);
  // Whole pages (mmap), so it grows with mremap whatever the C library does with blocks.
  CHECK(reinterpret_cast<std::uintptr_t>(a.data()) % page == 0);
  CHECK(a.capacity() == 16384);
  bool in_order = true;
  for (std::uint64_t i = 0; i < a.size(); ++i) in_order = in_order && a[i] == i * 31;
  CHECK(in_order);
  CHECK(a.size() == 8193);
}

TEST_CASE("after prepare_heap a freed large block stays mapped for the next allocation", "[base][pages]") {
#if defined(__SANITIZE_ADDRESS__)
  WARN("the sanitizer's allocator replaces the C library's: prepare_heap() has nothing to set");
#else
  azd::base::prepare_heap();
  // 24 MiB: with glibc's defaults a block this size is a mapping of its own, unmapped when
  // freed (or, from the heap, trimmed off its top), and then faulted in again page by page.
  const std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  const std::size_t n = std::size_t{24} << 20;
  char* p = static_cast<char*>(std::malloc(n));
  REQUIRE(p != nullptr);
  for (std::size_t i = 0; i < n; i += page) p[i] = 1;
  const auto inner = (reinterpret_cast<std::uintptr_t>(p) + page - 1) & ~(page - 1);
  const std::size_t inner_n = (n - page) & ~(page - 1);
  std::free(p);
  // (mincore only asks the kernel about the addresses; the freed bytes are not read.)
  CHECK(resident_pages(reinterpret_cast<void*>(inner), inner_n) == inner_n / page);
#endif
}
