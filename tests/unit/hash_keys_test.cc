#include <catch2/catch.hpp>

#include <cstdint>
#include <random>
#include <set>
#include <vector>

#include "base/hash_keys.h"

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
