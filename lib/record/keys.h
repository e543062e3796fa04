// Internal to record/: the object keys the JSON walkers map, and the lookup that names them.
// Kept apart from reader_impl.h so tests can check it without simdjson.
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "base/text.h"

namespace azd::record::detail {

/// The keys the JSON walkers look for, by their folded spelling (lower case, '_' dropped),
/// so camelCase, PascalCase and snake_case names meet. Everything else is Key::other.
enum class Key : std::uint8_t {
  other,
  action, activitystatusvalue, activitysubstatusvalue, authorization, caller, calleripaddress,
  category, categoryvalue, claims, clientipaddress, content, correlationid, eventcategory,
  eventdataid, eventname, eventtimestamp, httprequest, identity, level, localizedvalue, message,
  method, operationid, operationname, operationnamevalue, properties, resourcegroup,
  resourcegroupname, resourceid, resourceprovidername, resourceprovidervalue, resourcetype,
  resourceuri, resultsignature, resulttype, scope, status, statuscode, statusmessage,
  subscriptionid, substatus, tenantid, time, timegenerated, value,
};

/// key_id() reads up to kKeyOverRead bytes from raw.data() whatever raw.size(): a key inside
/// a document parsed by simdjson always has them (its padding follows the document).
inline constexpr std::size_t kKeyOverRead = 24;

namespace keys {

struct Name {
  std::string_view folded;
  Key id;
};

inline constexpr Name kNames[] = {
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

// A key of 1 to 24 bytes is fully described by its length and three words: bytes 0-7, bytes
// 8-15 (keys over 16 bytes) and the last eight bytes (keys over 8 bytes). The words a shorter
// key does not have are zero.
struct Slot {
  std::uint64_t w0 = 0, w1 = 0, w2 = 0, n = 0;  // n == 0: an empty slot
  Key id = Key::other;
};

static_assert(std::endian::native == std::endian::little, "key words are composed little-endian");

constexpr std::uint64_t load(std::string_view s, std::size_t at) {  // little-endian, up to 8 bytes
  std::uint64_t x = 0;
  for (std::size_t i = 0; i < 8 && at + i < s.size(); ++i) x |= std::uint64_t{static_cast<unsigned char>(s[at + i])} << (8 * i);
  return x;
}

constexpr Slot slot_of_name(const Name& k) {
  const std::size_t n = k.folded.size();
  return {load(k.folded, 0), n > 16 ? load(k.folded, 8) : 0, n > 8 ? load(k.folded, n - 8) : 0, n, k.id};
}

// One multiply of the first word (plus the length) picks the slot; the multiplier is searched
// at compile time so that no two names share a slot, and a lookup reads exactly one slot.
inline constexpr std::size_t kSlots = 256;
constexpr std::size_t index_of(std::uint64_t w0, std::uint64_t n, std::uint64_t mul) {
  return static_cast<std::size_t>(((w0 + n) * mul) >> 56);
}

constexpr std::uint64_t find_multiplier() {
  std::uint64_t state = 0x853c49e6748fea9bULL;
  for (int attempt = 0; attempt < 100000; ++attempt) {
    // splitmix64: odd multipliers with well-mixed high bits
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    const std::uint64_t mul = (z ^ (z >> 31)) | 1;
    std::array<bool, kSlots> used{};
    bool clash = false;
    for (const Name& k : kNames) {
      const Slot s = slot_of_name(k);
      bool& u = used[index_of(s.w0, s.n, mul)];
      clash = clash || u;
      u = true;
    }
    if (!clash) return mul;
  }
  return 0;
}
inline constexpr std::uint64_t kMultiplier = find_multiplier();
static_assert(kMultiplier != 0, "no collision-free multiplier: widen kSlots");

constexpr std::array<Slot, kSlots> build_table() {
  std::array<Slot, kSlots> t{};
  for (const Name& k : kNames) {
    const Slot s = slot_of_name(k);
    t[index_of(s.w0, s.n, kMultiplier)] = s;
  }
  return t;
}
inline constexpr std::array<Slot, kSlots> kTable = build_table();

constexpr bool names_fit() {
  for (const Name& k : kNames) {
    if (k.folded.empty() || k.folded.size() > kKeyOverRead) return false;
    for (char c : k.folded) {
      if (c < 'a' || c > 'z') return false;  // key_id() folds case by setting 0x20 (below)
    }
  }
  return true;
}
static_assert(names_fit(), "names are 1-24 lower-case letters");

inline bool has_underscore(std::uint64_t x) { return base::bytes_equal(x, '_') != 0; }

/// snake_case and keys over 24 bytes: fold into a buffer, then look that up.
Key key_id_folded(std::string_view raw);

}  // namespace keys

/// Which Key `raw` (a key as written) is. Every key of every record goes through here (a
/// storage record has 26), so it is inlined at every call (the optimiser kept it a call:
/// forcing it made one thread 4 % faster on 1 GB) and reads one table slot: the key's words are
/// loaded without branching on its length (keys come in every length, in no order a predictor
/// could learn), case is folded by setting bit 0x20 of every byte, and the slot its first word
/// picks either holds it or it is not a name. Setting 0x20 turns A-Z into a-z and no other
/// byte into a letter, so a key matches a name (all lower-case letters) exactly when it
/// matches it ignoring ASCII case.
[[gnu::always_inline]] inline Key key_id(std::string_view raw) {
  const std::size_t n = raw.size();
  if (n - 1 < kKeyOverRead) {  // 1..24 bytes
    const char* p = raw.data();
    std::uint64_t w0, w1, w2;
    std::memcpy(&w0, p, 8);
    std::memcpy(&w1, p + 8, 8);
    std::memcpy(&w2, p + (n > 8 ? n - 8 : 0), 8);
    constexpr std::uint64_t kAll = ~std::uint64_t{0}, kCase = 0x2020202020202020ULL;
    const std::uint64_t m0 = n >= 8 ? kAll : (std::uint64_t{1} << (8 * n)) - 1;
    const std::uint64_t m1 = n > 16 ? kAll : 0, m2 = n > 8 ? kAll : 0;
    w0 &= m0;
    w1 &= m1;
    w2 &= m2;
    const std::uint64_t f0 = (w0 | kCase) & m0, f1 = (w1 | kCase) & m1, f2 = (w2 | kCase) & m2;
    const keys::Slot& s = keys::kTable[keys::index_of(f0, n, keys::kMultiplier)];
    if (((f0 ^ s.w0) | (f1 ^ s.w1) | (f2 ^ s.w2) | (n ^ s.n)) == 0) return s.id;
    // A name has no '_', so a key without one that missed is no name.
    if (!keys::has_underscore(w0) && !keys::has_underscore(w1) && !keys::has_underscore(w2)) return Key::other;
  } else if (n == 0) {
    return Key::other;
  }
  return keys::key_id_folded(raw);
}

/// The keys that set what every event is read for (the reader's walk stops mapping a storage
/// record once they are read): its time, operation, category, status and event id (the
/// duplicate key). A later one overwrites an earlier one, past that point too.
inline bool gives_needed_field(Key k) {
  switch (k) {
    case Key::time: case Key::timegenerated: case Key::eventtimestamp: case Key::operationname:
    case Key::operationnamevalue: case Key::category: case Key::categoryvalue: case Key::status:
    case Key::activitystatusvalue: case Key::eventdataid:
      return true;
    default:
      return false;
  }
}

/// Whether a key whose first byte is `c` can be one of gives_needed_field()'s or
/// `properties`: the only keys a stopped walk looks at, so the others are not named at all.
/// (A leading '_' is dropped by folding.)
inline bool may_be_needed_past_status(char c) {
  switch (c | 0x20) {
    case 'a': case 'c': case 'e': case 'o': case 'p': case 's': case 't': case '_' | 0x20:
      return true;
    default:
      return false;
  }
}

}  // namespace azd::record::detail
