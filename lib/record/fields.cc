// Vocabulary shared by every shape: statuses, shape names and resource-id parts.
#include "record/record.h"
#include "base/text.h"

namespace azd::record {
using base::iequals;

Status parse_status(std::string_view text) {
  // resultSignature writes "Succeeded.Created": the status is the part before the dot.
  if (auto dot = text.find('.'); dot != std::string_view::npos) text = text.substr(0, dot);
  if (text.empty()) return Status::none;
  struct Entry {
    std::string_view spelling;
    Status status;
  };
  static constexpr Entry kTable[] = {
      {"succeeded", Status::succeeded}, {"success", Status::succeeded},
      {"started", Status::started},     {"start", Status::started},
      {"accepted", Status::accepted},   {"accept", Status::accepted},
      {"failed", Status::failed},       {"failure", Status::failed},
      {"running", Status::running},     {"in progress", Status::in_progress},
      {"inprogress", Status::in_progress}, {"canceled", Status::canceled},
      {"cancelled", Status::canceled},  {"active", Status::active},
      {"resolved", Status::resolved},   {"updated", Status::updated},
  };
  for (const Entry& e : kTable) {
    if (iequals(text, e.spelling)) return e.status;
  }
  return Status::other;
}

std::string_view status_name(Status s) {
  switch (s) {
    case Status::none: return "";
    case Status::started: return "Started";
    case Status::accepted: return "Accepted";
    case Status::running: return "Running";
    case Status::in_progress: return "InProgress";
    case Status::succeeded: return "Succeeded";
    case Status::failed: return "Failed";
    case Status::canceled: return "Canceled";
    case Status::active: return "Active";
    case Status::resolved: return "Resolved";
    case Status::updated: return "Updated";
    case Status::other: return "Other";
  }
  return "";
}

bool is_terminal(Status s) {
  return s == Status::succeeded || s == Status::failed || s == Status::canceled;
}

std::string_view shape_name(Shape s) {
  switch (s) {
    case Shape::empty: return "empty";
    case Shape::json_lines: return "json-lines";
    case Shape::records_envelope: return "records-envelope";
    case Shape::json_array: return "json-array";
    case Shape::value_page: return "value-page";
    case Shape::single_object: return "single-object";
    case Shape::la_tables: return "log-analytics-tables";
    case Shape::la_csv: return "log-analytics-csv";
    case Shape::unknown: return "unknown";
  }
  return "unknown";
}

ResourceParts split_resource_id(std::string_view id) {
  ResourceParts parts;
  // Walk "/key/value" pairs; segment names are compared case-insensitively because
  // storage exports write /SUBSCRIPTIONS/.../RESOURCEGROUPS/.
  std::size_t i = 0;
  auto next = [&](std::string_view* seg) {
    if (i >= id.size()) return false;
    if (id[i] == '/') ++i;
    std::size_t end = id.find('/', i);
    if (end == std::string_view::npos) end = id.size();
    *seg = id.substr(i, end - i);
    i = end;
    return !seg->empty();
  };
  std::string_view key, value;
  while (next(&key)) {
    if (!next(&value)) break;
    if (iequals(key, "subscriptions")) {
      parts.subscription = value;
    } else if (iequals(key, "resourceGroups")) {
      parts.resource_group = value;
    } else if (iequals(key, "providers")) {
      parts.provider = value;
      // Everything after the provider alternates type/name; remember where it starts.
      parts.type_tail = i < id.size() ? id.substr(i + 1) : std::string_view{};
      break;
    }
  }
  // The name is the last segment of a provider resource, or the group or subscription.
  if (!parts.provider.empty()) {
    if (!parts.type_tail.empty()) {
      auto slash = parts.type_tail.rfind('/');
      parts.name = slash == std::string_view::npos ? parts.type_tail : parts.type_tail.substr(slash + 1);
    }
  } else if (!parts.resource_group.empty()) {
    parts.name = parts.resource_group;
  } else {
    parts.name = parts.subscription;
  }
  return parts;
}

}  // namespace azd::record
