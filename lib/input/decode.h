// Internal to input/: the decoding steps shared by whole-buffer reads (input.cc) and
// streams (stream.cc). Not a public header.
#pragma once

#include <zlib.h>

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
/// How crc32() computes: zlib's tables, carry-less multiplication on 128-bit registers
/// (PCLMULQDQ), or on 512-bit ones (AVX-512 VPCLMULQDQ).
enum class CrcKernel { tables, clmul, clmul512 };
/// The fastest kernel this CPU (and system) runs.
CrcKernel best_crc_kernel();
/// The CRC-32 of gzip (and zlib's crc32()) over `bytes`, continuing from `crc` (0 to start),
/// with best_crc_kernel(), or with `kernel` (which this CPU must run).
std::uint32_t crc32(std::uint32_t crc, std::string_view bytes);
std::uint32_t crc32(std::uint32_t crc, std::string_view bytes, CrcKernel kernel);

/// zlib set up to inflate gzip members without checking them: zlib computes the CRC with
/// byte tables, and GzipCheck with crc32() instead. On a false return, *err says why and
/// nothing needs inflateEnd().
bool init_gunzip(z_stream* zs, std::string* err);

/// The check of one gzip member after another: the CRC-32 and the size (mod 2^32) of the
/// bytes inflated, against the member's trailer.
class GzipCheck {
 public:
  static constexpr std::size_t kTrailer = 8;  // CRC-32, then the size, little-endian
  void add(const void* inflated, std::size_t n) {
    crc_ = crc32(crc_, std::string_view(static_cast<const char*>(inflated), n));
    size_ += n;
  }
  /// At a member's end (Z_STREAM_END): `trailer` is its last kTrailer bytes. Starts the next
  /// member.
  bool end_member(const unsigned char* trailer, std::string* err);

 private:
  std::uint32_t crc_ = 0;
  std::uint64_t size_ = 0;
};
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
