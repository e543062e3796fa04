// Internal to input/: the decoding steps shared by whole-buffer reads (input.cc) and
// streams (stream.cc). Not a public header.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "input/input.h"

namespace azd::input::detail {

std::string errno_text(int e);
/// Reads everything from a descriptor that cannot be mapped, appending to `storage`.
bool read_all(int fd, std::string* storage, std::string* err);
/// Maps a regular file of `size` bytes with kPadding readable bytes after it.
bool map_file(int fd, std::size_t size, Buffer* out, std::string* err);
bool is_gzip(std::string_view b);
/// Offset of the first invalid UTF-8 byte, or in.size() when all of it is valid. With
/// `newlines` (and `in` under 4 GiB), the offsets of the newlines before that byte are
/// appended to it, found in the same pass.
std::size_t first_invalid_utf8(std::string_view in, std::vector<std::uint32_t>* newlines = nullptr);
/// Keeps every valid UTF-8 sequence and decodes each invalid byte as Windows-1252; the
/// result depends on each byte's neighbours only, so blocks cut at newlines can be repaired
/// one at a time with the same result as the whole text.
std::string repair_utf8(std::string_view in, std::size_t first_bad, std::uint64_t* bad);
bool looks_like_utf16le(std::string_view b);
/// A heap Buffer holding `text` followed by kPadding zero bytes.
Buffer heap_buffer(std::string&& text);
/// Strips a BOM and transcodes UTF-16 or invalid UTF-8 (the buffer is replaced if needed).
void normalise_encoding(Buffer* out);
/// gunzip (when the bytes are gzip) then normalise_encoding.
bool finish_buffer(Buffer* buf, const OpenOptions& options, std::string* err);

}  // namespace azd::input::detail
