// The rules compiled into the binary. The table is generated at build time from
// detections/**/*.json by cmake/embed_detections.cmake, so editing a rule file and
// rebuilding changes the binary, and no rule text lives in C++ source.
#include "catalog/catalog.h"
#include "catalog/embedded.h"

namespace azd::catalog {

bool load_builtin(Catalog* catalog, std::vector<LintError>* errors) {
  bool ok = true;
  for (std::size_t i = 0; i < detail::kBuiltinDetectionCount; ++i) {
    const detail::EmbeddedFile& f = detail::kBuiltinDetections[i];
    ok = catalog->add_from_text(f.path, f.text, errors) && ok;
  }
  return ok;
}

}  // namespace azd::catalog
