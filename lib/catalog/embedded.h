// Internal to catalog/: the table that cmake/embed_detections.cmake generates.
#pragma once

#include <cstddef>
#include <string_view>

namespace azd::catalog::detail {

struct EmbeddedFile {
  std::string_view path;  ///< relative to the source tree, e.g. "detections/compute/vm_deleted.json"
  std::string_view text;
};

extern const EmbeddedFile kBuiltinDetections[];
extern const std::size_t kBuiltinDetectionCount;

}  // namespace azd::catalog::detail
