// key_id()'s slow path: keys that need '_' dropped (Python SDK dumps) or are longer than the
// words the inline lookup reads.
#include "record/keys.h"

#include "record/reader_impl.h"

namespace azd::record::detail::keys {

Key key_id_folded(std::string_view raw) {
  const FoldedKey folded(raw);
  const std::string_view k = folded.view();
  // Same length: nothing was dropped, and the inline lookup has already said no.
  if (k.empty() || k.size() > kKeyOverRead || k.size() == raw.size()) return Key::other;
  return key_id(k);  // FoldedKey's buffer has room for the over-read
}

}  // namespace azd::record::detail::keys
