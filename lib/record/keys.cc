// key_id(): the keys the JSON walkers map, looked up by their folded words.
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>

#include "base/text.h"
#include "record/reader_impl.h"

namespace azd::record::detail {
namespace {

struct KeyName {
  std::string_view folded;
  Key id;
};

constexpr KeyName kKeys[] = {
    {"action", Key::action},
    {"activitystatusvalue", Key::activitystatusvalue},
    {"activitysubstatusvalue", Key::activitysubstatusvalue},
    {"authorization", Key::authorization},
    {"caller", Key::caller},
    {"calleripaddress", Key::calleripaddress},
    {"category", Key::category},
    {"categoryvalue", Key::categoryvalue},
    {"claims", Key::claims},
    {"clientipaddress", Key::clientipaddress},
    {"content", Key::content},
    {"correlationid", Key::correlationid},
    {"eventcategory", Key::eventcategory},
    {"eventdataid", Key::eventdataid},
    {"eventname", Key::eventname},
    {"eventtimestamp", Key::eventtimestamp},
    {"httprequest", Key::httprequest},
    {"identity", Key::identity},
    {"level", Key::level},
    {"localizedvalue", Key::localizedvalue},
    {"message", Key::message},
    {"method", Key::method},
    {"operationid", Key::operationid},
    {"operationname", Key::operationname},
    {"operationnamevalue", Key::operationnamevalue},
    {"properties", Key::properties},
    {"resourcegroup", Key::resourcegroup},
    {"resourcegroupname", Key::resourcegroupname},
    {"resourceid", Key::resourceid},
    {"resourceprovidername", Key::resourceprovidername},
    {"resourceprovidervalue", Key::resourceprovidervalue},
    {"resourcetype", Key::resourcetype},
    {"resourceuri", Key::resourceuri},
    {"resultsignature", Key::resultsignature},
    {"resulttype", Key::resulttype},
    {"scope", Key::scope},
    {"status", Key::status},
    {"statuscode", Key::statuscode},
    {"statusmessage", Key::statusmessage},
    {"subscriptionid", Key::subscriptionid},
    {"substatus", Key::substatus},
    {"tenantid", Key::tenantid},
    {"time", Key::time},
    {"timegenerated", Key::timegenerated},
    {"value", Key::value},
};

// A key of up to 24 bytes is fully described by its length and three words: bytes 0-7,
// bytes 8-15 (keys over 16 bytes) and the last eight bytes (keys over 8 bytes); a shorter
// key's missing words are zero.
constexpr std::size_t kMaxFast = 24;
struct Words {
  std::uint64_t w[3] = {0, 0, 0};
  std::size_t n = 0;
  bool operator==(const Words&) const = default;
};

// key_id() loads the words of longer keys with memcpy, which must agree with load().
static_assert(std::endian::native == std::endian::little, "key words are composed little-endian");

constexpr std::uint64_t load(const char* p, std::size_t n) {  // little-endian, n <= 8
  std::uint64_t x = 0;
  for (std::size_t i = 0; i < n; ++i) x |= std::uint64_t{static_cast<unsigned char>(p[i])} << (8 * i);
  return x;
}

constexpr Words words_of(std::string_view k) {
  Words w;
  w.n = k.size();
  if (w.n <= 8) {
    w.w[0] = load(k.data(), w.n);
    return w;
  }
  w.w[0] = load(k.data(), 8);
  if (w.n > 16) w.w[1] = load(k.data() + 8, 8);
  w.w[2] = load(k.data() + w.n - 8, 8);
  return w;
}

constexpr std::size_t kSlots = 256;
constexpr std::size_t slot_of(const Words& w) {
  const std::uint64_t h = (w.w[0] ^ (w.w[1] * 0x9e3779b97f4a7c15ULL) ^ (w.w[2] * 0xc2b2ae3d27d4eb4fULL) ^ w.n) *
                          0x165667b19e3779f9ULL;
  return static_cast<std::size_t>(h >> 56);
}

struct Slot {
  Words words;
  Key id = Key::other;
};

// Open addressing, built at compile time; Key::other marks an empty slot.
constexpr std::array<Slot, kSlots> build_table() {
  std::array<Slot, kSlots> t{};
  for (const KeyName& k : kKeys) {
    const Words w = words_of(k.folded);
    std::size_t i = slot_of(w);
    while (t[i].id != Key::other) i = (i + 1) % kSlots;
    t[i] = {w, k.id};
  }
  return t;
}
constexpr std::array<Slot, kSlots> kTable = build_table();

constexpr bool table_complete() {
  for (const KeyName& k : kKeys) {
    if (k.folded.size() > kMaxFast) return false;
    const Words w = words_of(k.folded);
    std::size_t i = slot_of(w);
    while (kTable[i].id != Key::other && !(kTable[i].words == w)) i = (i + 1) % kSlots;
    if (kTable[i].id != k.id) return false;
  }
  return true;
}
static_assert(table_complete(), "every key name must be found in the table");

Key lookup(const Words& w) {
  for (std::size_t i = slot_of(w);; i = (i + 1) % kSlots) {
    const Slot& s = kTable[i];
    if (s.id == Key::other || s.words == w) return s.id;
  }
}

bool has_underscore(std::uint64_t x) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
  const std::uint64_t u = x ^ (kOnes * '_');
  return ((u - kOnes) & ~u & kHigh) != 0;
}

}  // namespace

Key key_id(std::string_view raw) {
  const std::size_t n = raw.size();
  if (n - 1 < kMaxFast) {  // 1..24 bytes
    // Branch-free loads (keys come in every length, in no order a predictor could learn):
    // three words are always read, then the ones the length does not cover are cleared.
    const char* p = raw.data();
    std::uint64_t w0, w1, w2;
    std::memcpy(&w0, p, 8);
    std::memcpy(&w1, p + 8, 8);
    std::memcpy(&w2, p + (n > 8 ? n - 8 : 0), 8);
    w0 &= n >= 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * n)) - 1;
    w1 &= n > 16 ? ~std::uint64_t{0} : 0;
    w2 &= n > 8 ? ~std::uint64_t{0} : 0;
    if (!has_underscore(w0) && !has_underscore(w1) && !has_underscore(w2)) {
      Words w;
      w.w[0] = base::lower_word(w0);
      w.w[1] = base::lower_word(w1);
      w.w[2] = base::lower_word(w2);
      w.n = n;
      return lookup(w);
    }
  } else if (n == 0) {
    return Key::other;
  }
  // snake_case (Python SDK dumps) and long keys: fold into a buffer, then look that up.
  const FoldedKey folded(raw);
  const std::string_view k = folded.view();
  if (k.empty() || k.size() > kMaxFast || k.size() == n) return Key::other;
  return key_id(k);  // FoldedKey's buffer has room for the over-read
}

}  // namespace azd::record::detail
