// Internal to record/: the object keys the JSON walkers map, and the lookup that names them.
// Kept apart from reader_impl.h so tests can check it without simdjson.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

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

/// Which Key `raw` (a key as written) is. Every key of every record goes through here, so
/// it folds the key into at most three words and looks them up in a table built at compile
/// time, instead of folding into a buffer and comparing strings one by one.
/// Reads up to kKeyOverRead bytes from raw.data() whatever raw.size(): a key inside a
/// document parsed by simdjson always has them (its padding follows the document).
inline constexpr std::size_t kKeyOverRead = 24;
Key key_id(std::string_view raw);

}  // namespace azd::record::detail
