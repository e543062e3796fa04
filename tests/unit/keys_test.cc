// The key lookup of the JSON walkers (record/keys.h), checked against its definition: fold
// case, drop '_', compare with the names the reader maps.
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <utility>
#include <vector>

#include "record/keys.h"

using azd::record::detail::Key;
using azd::record::detail::kKeyOverRead;

namespace {

// key_id() reads past the key (keys lie inside padded documents); the bytes after it here
// are letters that would complete a shorter key into a longer one ("tim" + "e..."), so a
// word that is not cleared where the key ends shows.
Key key_id(const std::string& key) {
  static std::mt19937 rng(17);
  std::string buf = key;
  for (std::size_t i = 0; i < kKeyOverRead; ++i) buf += "evalueidtype"[rng() % 12];
  return azd::record::detail::key_id(std::string_view(buf.data(), key.size()));
}

}  // namespace

namespace {

const std::vector<std::pair<std::string, Key>> kNames = {
    {"action", Key::action}, {"activitystatusvalue", Key::activitystatusvalue},
    {"activitysubstatusvalue", Key::activitysubstatusvalue}, {"authorization", Key::authorization},
    {"caller", Key::caller}, {"calleripaddress", Key::calleripaddress}, {"category", Key::category},
    {"categoryvalue", Key::categoryvalue}, {"claims", Key::claims}, {"clientipaddress", Key::clientipaddress},
    {"content", Key::content}, {"correlationid", Key::correlationid}, {"eventcategory", Key::eventcategory},
    {"eventdataid", Key::eventdataid}, {"eventname", Key::eventname}, {"eventtimestamp", Key::eventtimestamp},
    {"httprequest", Key::httprequest}, {"identity", Key::identity}, {"level", Key::level},
    {"localizedvalue", Key::localizedvalue}, {"message", Key::message}, {"method", Key::method},
    {"operationid", Key::operationid}, {"operationname", Key::operationname},
    {"operationnamevalue", Key::operationnamevalue}, {"properties", Key::properties},
    {"resourcegroup", Key::resourcegroup}, {"resourcegroupname", Key::resourcegroupname},
    {"resourceid", Key::resourceid}, {"resourceprovidername", Key::resourceprovidername},
    {"resourceprovidervalue", Key::resourceprovidervalue}, {"resourcetype", Key::resourcetype},
    {"resourceuri", Key::resourceuri}, {"resultsignature", Key::resultsignature}, {"resulttype", Key::resulttype},
    {"scope", Key::scope}, {"status", Key::status}, {"statuscode", Key::statuscode},
    {"statusmessage", Key::statusmessage}, {"subscriptionid", Key::subscriptionid}, {"substatus", Key::substatus},
    {"tenantid", Key::tenantid}, {"time", Key::time}, {"timegenerated", Key::timegenerated}, {"value", Key::value},
};

// The definition: ASCII letters folded, '_' dropped, then an exact name.
Key reference(std::string_view raw) {
  std::string folded;
  for (char c : raw) {
    if (c == '_') continue;
    folded += c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
  }
  if (folded.size() > 48) return Key::other;  // longer than any key the reader folds
  for (const auto& [name, id] : kNames) {
    if (folded == name) return id;
  }
  return Key::other;
}

}  // namespace

TEST_CASE("every mapped key is found in camelCase, PascalCase, upper case and snake_case", "[record][keys]") {
  std::mt19937 rng(5);
  for (const auto& [name, id] : kNames) {
    INFO(name);
    CHECK(key_id(name) == id);
    std::string pascal = name, upper = name, snake;
    pascal[0] = static_cast<char>(pascal[0] - 32);
    for (char& c : upper) c = static_cast<char>(c - 32);
    for (char c : name) {
      if (rng() % 4 == 0) snake += '_';
      snake += c;
    }
    CHECK(key_id(pascal) == id);
    CHECK(key_id(upper) == id);
    CHECK(key_id(snake) == id);
    CHECK(key_id("_" + name + "_") == id);
    // One byte more, less or changed is another key.
    CHECK(key_id(name + "s") == Key::other);
    CHECK(key_id(name.substr(1)) == Key::other);
    for (std::size_t i = 0; i < name.size(); ++i) {
      std::string changed = name;
      changed[i] = static_cast<char>(changed[i] ^ 0x01);
      CHECK(key_id(changed) == reference(changed));
    }
  }
}

TEST_CASE("key lookup agrees with folding and comparing on random keys", "[record][keys]") {
  std::mt19937 rng(9);
  const std::string alphabet = "aeiouAEIOUrstnlcdmpgvyRSTNLCDMPGVY_0123456789-.:/ \x01\x80\xc3\xff";
  for (int round = 0; round < 200000; ++round) {
    std::string key;
    // Most random keys are built from parts of real names, so near misses are common.
    if (rng() % 2 == 0) {
      const std::string& a = kNames[rng() % kNames.size()].first;
      const std::string& b = kNames[rng() % kNames.size()].first;
      key = a.substr(0, rng() % (a.size() + 1)) + b.substr(rng() % (b.size() + 1));
      if (!key.empty() && rng() % 3 == 0) key[rng() % key.size()] = alphabet[rng() % alphabet.size()];
    } else {
      const std::size_t n = rng() % 60;
      for (std::size_t i = 0; i < n; ++i) key += alphabet[rng() % alphabet.size()];
    }
    INFO(key);
    REQUIRE(key_id(key) == reference(key));
  }
}

TEST_CASE("every key a stopped walk must still map passes the first-byte test, in any case and snake_case",
          "[record][keys]") {
  // A storage record's walk stops mapping after its status and names only the keys whose
  // first byte may_be_needed_past_status() lets through: a needed key it turned away would
  // let an earlier value win where a whole read takes the later one.
  int checked = 0;
  for (const auto& name : azd::record::detail::keys::kNames) {
    if (!azd::record::detail::gives_needed_field(name.id) && name.id != Key::properties) continue;
    ++checked;
    const std::string lower(name.folded);
    std::string upper = lower;
    upper[0] = static_cast<char>(upper[0] - 'a' + 'A');
    INFO(lower);
    CHECK(azd::record::detail::may_be_needed_past_status(lower[0]));
    CHECK(azd::record::detail::may_be_needed_past_status(upper[0]));
    CHECK(azd::record::detail::may_be_needed_past_status('_'));  // "_time" folds to "time"
    CHECK(key_id(lower) == name.id);
  }
  CHECK(checked == 11);
  // Most of what follows a storage record's status is turned away unnamed.
  for (std::string_view k : {"resultSignature", "durationMs", "identity", "level", "location", "RoleLocation"}) {
    INFO(k);
    CHECK_FALSE(azd::record::detail::may_be_needed_past_status(k[0]));
  }
}
