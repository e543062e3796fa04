// base: a set of 64-bit hash keys, for counting copies among many keys a bucket at a time
// (engine/ counts duplicate events with it). Header-only; no dependencies.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace azd::base {

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
