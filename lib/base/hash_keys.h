// base: 64-bit hash keys, one per event (engine/ finds duplicate events with them): a
// growable array that does not copy itself as it grows, an in-place sort, and a set for
// counting copies a bucket of keys at a time. Header-only.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <utility>
#include <vector>

#include "base/pages.h"

namespace azd::base {

/// An array of keys that only grows (push_back) until it is dropped. Past 64 KiB it lives in
/// pages of its own and grows with mremap, which moves its pages instead of copying them
/// into new ones the way a std::vector grows: on one file of 1 GB that copying was about
/// 1,000 page faults and 2.9 MB copied. (It first grew with realloc, which remaps a block
/// only while the C library keeps it in a mapping of its own; prepare_heap() keeps blocks
/// up to 32 MiB in the heap.) Below 64 KiB it is an ordinary heap block: a folder of 2,000
/// hourly files has 2,000 small arrays, and a mapping each cost a fault and two system
/// calls per file (a 2,000-file scan 5 -> 22 ms in finish(), which unmaps them). The pages
/// ahead of the keys are mapped in 1 MiB at a time (prefault()), not a page per fault, and
/// not a whole doubling at once: memory follows the keys written.
class KeyArray {
 public:
  KeyArray() = default;
  KeyArray(KeyArray&& o) noexcept : data_(std::exchange(o.data_, nullptr)), size_(std::exchange(o.size_, 0)),
                                    capacity_(std::exchange(o.capacity_, 0)), ready_(std::exchange(o.ready_, 0)) {}
  KeyArray& operator=(KeyArray&& o) noexcept {
    if (this != &o) {
      drop();
      data_ = std::exchange(o.data_, nullptr);
      size_ = std::exchange(o.size_, 0);
      capacity_ = std::exchange(o.capacity_, 0);
      ready_ = std::exchange(o.ready_, 0);
    }
    return *this;
  }
  KeyArray(const KeyArray&) = delete;
  KeyArray& operator=(const KeyArray&) = delete;
  ~KeyArray() { drop(); }

  void push_back(std::uint64_t key) {
    if (size_ == ready_) make_ready();
    data_[size_++] = key;
  }
  /// Keys that fit before the array grows again.
  std::size_t capacity() const { return capacity_; }
  std::uint64_t* data() { return data_; }
  const std::uint64_t* data() const { return data_; }
  std::uint64_t* begin() { return data_; }
  std::uint64_t* end() { return data_ + size_; }
  const std::uint64_t* begin() const { return data_; }
  const std::uint64_t* end() const { return data_ + size_; }
  std::uint64_t& operator[](std::size_t i) { return data_[i]; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  /// Drops every key and the memory.
  void release() { *this = KeyArray(); }

 private:
  // Up to kHeapCapacity keys in the heap, then in pages of its own.
  static constexpr std::size_t kFirstCapacity = 64, kHeapCapacity = (std::size_t{64} << 10) / sizeof(std::uint64_t);
  static bool mapped(std::size_t capacity) { return capacity > kHeapCapacity; }
  void drop() {
    if (mapped(capacity_)) {
      unmap_pages(data_, capacity_ * sizeof(std::uint64_t));
    } else {
      std::free(data_);
    }
  }
  void grow() {
    const std::size_t capacity = capacity_ == 0 ? kFirstCapacity : 2 * capacity_;
    if (capacity > SIZE_MAX / sizeof(std::uint64_t)) throw std::bad_alloc();
    const std::size_t bytes = capacity * sizeof(std::uint64_t), old_bytes = capacity_ * sizeof(std::uint64_t);
    void* p = nullptr;
    if (!mapped(capacity)) {
      p = std::realloc(data_, bytes);
    } else if (mapped(capacity_)) {
      p = remap_pages(data_, old_bytes, bytes);
    } else if ((p = map_pages(bytes)) != nullptr) {  // leaving the heap: one copy of 64 KiB
      std::copy(data_, data_ + size_, static_cast<std::uint64_t*>(p));
      std::free(data_);
    }
    if (p == nullptr) throw std::bad_alloc();  // (data_ is still valid and owned)
    data_ = static_cast<std::uint64_t*>(p);
    capacity_ = capacity;
  }
  // Grows when full, then maps in the next stretch of pages (ready_: the keys that can be
  // written before the next call).
  void make_ready() {
    if (size_ == capacity_) grow();
    constexpr std::size_t kStep = (std::size_t{1} << 20) / sizeof(std::uint64_t);
    const std::size_t step = std::min(capacity_ - size_, kStep);
    prefault(data_ + size_, step * sizeof(std::uint64_t));
    ready_ = size_ + step;
  }
  std::uint64_t* data_ = nullptr;
  std::size_t size_ = 0, capacity_ = 0, ready_ = 0;
};

namespace detail {
// Sorts a[0, n) on the byte at `shift` and, bucket by bucket, on the bytes below it.
inline void sort_keys_from(std::uint64_t* a, std::size_t n, int shift) {
  if (n < 64) {  // (counting 256 buckets costs more than sorting this few)
    std::sort(a, a + n);
    return;
  }
  auto digit = [shift](std::uint64_t k) { return static_cast<std::size_t>((k >> shift) & 0xFF); };
  std::array<std::size_t, 257> next{};
  std::array<std::size_t, 256> end{};
  for (std::size_t i = 0; i < n; ++i) ++next[digit(a[i]) + 1];
  for (std::size_t b = 0; b < 256; ++b) {
    next[b + 1] += next[b];
    end[b] = next[b + 1];
  }
  // Each key moves straight to the next free slot of its bucket; the key it displaces goes
  // on to its own bucket, until one belongs where the cycle started.
  for (std::size_t b = 0; b < 256; ++b) {
    while (next[b] < end[b]) {
      std::uint64_t v = a[next[b]];
      for (std::size_t d = digit(v); d != b; d = digit(v)) std::swap(v, a[next[d]++]);
      a[next[b]++] = v;
    }
  }
  if (shift == 0) return;  // each bucket holds copies of one key
  std::size_t from = 0;
  for (std::size_t b = 0; b < 256; ++b) {
    sort_keys_from(a + from, end[b] - from, shift - 8);
    from = end[b];
  }
}
}  // namespace detail

/// Sorts keys in place, without a second array: a most-significant-digit radix sort, a byte
/// at a time (American flag sort), then std::sort for buckets of fewer than 64 keys. With
/// 256 buckets a pass writes to 256 places, which stay in the cache; one pass over 16 bits
/// (65,536 buckets) missed the cache at almost every move: 360,000 keys (1 GB of events)
/// took 11-13 ms, against 7 ms. Fastest on uniform hashes, correct for any keys.
inline void sort_keys(std::uint64_t* a, std::size_t n) { detail::sort_keys_from(a, n, 56); }

/// Open addressing with linear probing. Emptied in constant time (a slot holds a key only
/// while its mark is the current one), so one set serves thousands of small batches without
/// clearing memory for each; grown when half full. The keys must be uniform hashes: their
/// low bits pick the slot.
class KeySet {
 public:
  /// Empties the set, sized for about `expected` keys: at most 32,768 to start with (a
  /// batch of many copies of few keys needs little room), growing if more are distinct.
  void clear(std::size_t expected) {
    const std::size_t want = std::bit_ceil(2 * std::clamp<std::size_t>(expected, 8, kMaxStart));
    if (keys_.size() < want) {
      resize(want, false);
    } else if (++mark_ == 0) {  // wrapped: every slot's mark is stale again
      std::fill(marks_.begin(), marks_.end(), 0);
      mark_ = 1;
    }
    size_ = 0;
  }

  /// Adds `key`; false when it was there already. (clear() first.)
  bool insert(std::uint64_t key) {
    const std::size_t mask = keys_.size() - 1;
    std::size_t i = static_cast<std::size_t>(key) & mask;
    while (marks_[i] == mark_) {
      if (keys_[i] == key) return false;
      i = (i + 1) & mask;
    }
    marks_[i] = mark_;
    keys_[i] = key;
    if (2 * ++size_ > keys_.size()) resize(2 * keys_.size(), true);
    return true;
  }

  std::size_t size() const { return size_; }
  std::size_t slots() const { return keys_.size(); }

  static constexpr std::size_t kMaxStart = std::size_t{1} << 15;

 private:
  void resize(std::size_t slots, bool keep) {
    std::vector<std::uint64_t> old;
    if (keep) {
      for (std::size_t i = 0; i < keys_.size(); ++i) {
        if (marks_[i] == mark_) old.push_back(keys_[i]);
      }
    }
    keys_.assign(slots, 0);
    marks_.assign(slots, 0);
    mark_ = 1;
    size_ = 0;
    for (std::uint64_t k : old) insert(k);
  }

  std::vector<std::uint64_t> keys_;
  std::vector<std::uint16_t> marks_;  // slot i holds keys_[i] when marks_[i] == mark_
  std::uint16_t mark_ = 0;
  std::size_t size_ = 0;
};

}  // namespace azd::base
