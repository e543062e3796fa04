// input: getting bytes into memory. Owns file discovery (paths, directories, stdin), memory
// mapping with the parser's padding guarantee, gzip decompression and text-encoding
// normalisation to UTF-8. It knows nothing about JSON, events or rules; the export shape is
// decided later by record/, from the bytes this module hands over.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace azd::input {

/// Readable bytes guaranteed after the end of every Buffer (equals SIMDJSON_PADDING; record/
/// checks this with a static_assert so the two can never drift apart).
inline constexpr std::size_t kPadding = 64;

/// Largest decompressed size accepted from one gzip member stream, so a gzip bomb is refused
/// with a message instead of exhausting memory. 8 GiB by default.
inline constexpr std::uint64_t kDefaultMaxDecompressed = 8ULL << 30;

/// How the original bytes were encoded before they became the UTF-8 in Buffer::text().
enum class Encoding {
  utf8,           ///< UTF-8 without a byte-order mark
  utf8_bom,       ///< UTF-8 with EF BB BF (stripped)
  utf16le_bom,    ///< UTF-16LE with FF FE (transcoded)
  utf16be_bom,    ///< UTF-16BE with FE FF (transcoded)
  utf16le,        ///< UTF-16LE recognised from NUL patterns, no BOM (transcoded)
  cp1252,         ///< not valid UTF-8: decoded as Windows-1252 (transcoded)
};

/// Stable lower-case name of an encoding, used in reports ("utf-16le+bom").
std::string_view encoding_name(Encoding e);

/// How this CPU computes gzip's CRC-32 (`azdetect --version -v`): "vpclmulqdq" (AVX-512),
/// "pclmulqdq" or "tables" (zlib's), chosen at run time.
std::string_view gzip_check_kernel();

/// Knobs for open_input(); the defaults are what the CLI uses.
struct OpenOptions {
  std::uint64_t max_decompressed = kDefaultMaxDecompressed;
  /// Bytes a Stream reads at a time. Small enough to stay in the CPU caches while a block
  /// is validated and parsed; tests use tiny windows to exercise records split across reads.
  std::size_t window = std::size_t{1} << 20;
};

/// One input's bytes as UTF-8 text followed by kPadding readable bytes. Owns either a memory
/// mapping of the file or a heap block; move-only.
class Buffer {
 public:
  Buffer() = default;
  ~Buffer();
  Buffer(Buffer&& other) noexcept;
  Buffer& operator=(Buffer&& other) noexcept;
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;

  /// The UTF-8 text (BOM removed). kPadding readable bytes follow text().end().
  std::string_view text() const { return {data_ + begin_, size_ - begin_}; }
  /// Bytes as they were on disk (compressed size for gzip), for throughput figures.
  std::uint64_t source_bytes() const { return source_bytes_; }
  Encoding encoding() const { return encoding_; }
  bool gzip() const { return gzip_; }
  /// Number of invalid UTF-8 sequences that forced a code-page decode (0 when valid).
  std::uint64_t invalid_utf8() const { return invalid_utf8_; }

  /// Takes ownership of a heap block of `size` bytes followed by kPadding bytes.
  static Buffer from_heap(std::string&& storage, std::size_t size);
  /// Takes ownership of a mapping of `mapped` bytes, of which the first `size` are the file.
  static Buffer from_mapping(char* base, std::size_t size, std::size_t mapped);

  void set_encoding(Encoding e) { encoding_ = e; }
  void set_gzip(bool g) { gzip_ = g; }
  void set_source_bytes(std::uint64_t n) { source_bytes_ = n; }
  void set_invalid_utf8(std::uint64_t n) { invalid_utf8_ = n; }
  void skip_prefix(std::size_t n) { begin_ += n; }

 private:
  void release();

  char* data_ = nullptr;
  std::size_t size_ = 0;      // bytes of content, padding excluded
  std::size_t begin_ = 0;     // start of text() (after a BOM)
  std::size_t mapped_ = 0;    // non-zero: data_ is an mmap of this many bytes
  std::string heap_;          // used when mapped_ == 0
  std::uint64_t source_bytes_ = 0;
  std::uint64_t invalid_utf8_ = 0;
  Encoding encoding_ = Encoding::utf8;
  bool gzip_ = false;
};

/// Reads `path` ("-" for standard input) into `out`: memory-mapped when it is a regular
/// file, gunzipped when it starts with the gzip magic, transcoded to UTF-8 when it is UTF-16
/// or not valid UTF-8. Returns false and sets `err` when the input cannot be read.
bool open_input(const std::string& path, const OpenOptions& options, Buffer* out, std::string* err);

/// Makes a Buffer from bytes already in memory (tests, fuzzers): same decoding as open_input.
bool buffer_from_bytes(std::string_view bytes, const OpenOptions& options, Buffer* out,
                       std::string* err);

/// Reads one input front to back, for inputs that are scanned as a stream: JSON Lines as
/// blocks of lines (next_lines), arrays and envelopes as windows the reader consumes record
/// by record (next_window). Memory stays flat whatever the file size, gzip is inflated as it
/// is read, and each block is validated as UTF-8 while it is still in cache. On the virtual
/// machines incident responders use, touching a freshly mapped page costs more than reading
/// it with read() into a reused buffer (docs/performance.md), so regular files are read, not
/// mapped, here. Anything else (UTF-16, tables) goes through take_all(), which decodes the
/// whole input exactly like open_input().
class Stream {
 public:
  /// An empty stream: it allocates nothing until open() or open_bytes(). Each input of a
  /// folder holds one from the start of a run, and 2,000 allocated up front (then replaced
  /// by open()) cost the main thread 2.4 ms of page faults before any reading started.
  /// Only the counts below (zero) may be asked of it before it is opened.
  Stream();
  ~Stream();
  Stream(Stream&&) noexcept;
  Stream& operator=(Stream&&) noexcept;
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;

  /// Opens `path` ("-" for standard input) and reads its first window. False with `err` set
  /// when it cannot be read at all.
  bool open(const std::string& path, const OpenOptions& options, std::string* err);
  /// Opens bytes already in memory (tests, fuzzers).
  bool open_bytes(std::string_view bytes, const OpenOptions& options, std::string* err);

  /// The first bytes of the content (at least one window, unless the input is shorter),
  /// gunzipped and without a UTF-8 byte-order mark, for shape sniffing. Not yet validated.
  std::string_view head() const;
  /// Whether the content can be read with next_lines() or next_window(): UTF-8 (UTF-16
  /// needs take_all(), and so does a head that is not valid UTF-8, whose shape must be
  /// decided on the repaired whole text, as a whole read decides it).
  bool line_readable() const;

  /// The next block of whole lines: it ends just after a newline, or at the end of input,
  /// and is valid UTF-8 (invalid bytes decoded as Windows-1252, as open_input() does).
  /// kPadding readable bytes follow it; it stays valid until the next call. An empty block
  /// means the end. False with `err` set when reading fails part-way (the blocks already
  /// returned were good). With `newlines`, it receives the offsets of the block's newlines
  /// (found in the same pass as the UTF-8 check) when the block is under 4 GiB, else none.
  bool next_lines(std::string_view* block, std::string* err, std::vector<std::uint32_t>* newlines = nullptr);

  /// Like next_lines(), but the block is handed over in `storage` (buffers are swapped, the
  /// block is not copied), so it stays valid while other threads take the next blocks.
  bool take_lines(std::string* storage, std::string_view* block, std::string* err,
                  std::vector<std::uint32_t>* newlines = nullptr);

  /// For a reader that consumes the content in pieces it cannot cut in advance (records of
  /// a JSON array span lines, or share one): `*window` is the content not consumed yet,
  /// valid UTF-8 like a block of next_lines(), followed by kPadding readable bytes and valid
  /// until the next call. `consumed` says how many bytes at the start of the previous window
  /// the reader used (0 on the first call); the rest starts the next window, with newly read
  /// bytes after it. A reader that consumed nothing gets a window twice as large, so one
  /// record larger than the window still fits. *at_end is true when the window holds the
  /// end of the content. False with `err` set when reading fails part-way: the windows
  /// handed out before were good, and the last one was not marked at_end.
  bool next_window(std::size_t consumed, std::string_view* window, bool* at_end, std::string* err);

  // Several threads reading one file (cli's scheduler): after the first block of lines, the
  // rest of a file is read in chunks at known positions (pread), each by the thread that
  // claimed it, so the copies out of the page cache run side by side instead of one after
  // the other under the scheduler's lock. join_chunk() turns a chunk into a block of lines.

  /// Whether the rest can be read in chunks: a regular file (or bytes in memory), not
  /// gzip, UTF-8, read without error so far and not to its end. Call after a take_lines();
  /// then begin_chunks(), once, and no other reading call.
  bool chunkable() const;
  /// The line the last block left unfinished (`carry`, not yet checked as UTF-8) and the
  /// content still to read, [*pos, *end) in file offsets: the size when the file was opened.
  void begin_chunks(std::string* carry, std::uint64_t* pos, std::uint64_t* end);
  /// Reads bytes [pos, pos + n) of the file into dst. Any thread may call it while others
  /// do (no shared position). False with `err` set when reading fails or the file has
  /// become shorter than it was when opened.
  bool read_at(std::uint64_t pos, char* dst, std::size_t n, std::string* err) const;
  /// Counts what chunks read (source bytes) and repaired (invalid UTF-8 sequences), for
  /// source_bytes(), invalid_utf8() and encoding(). One thread at a time.
  void note_chunk(std::uint64_t raw, std::uint64_t invalid);

  /// Everything (what head() showed and the rest) as one Buffer, decoded like open_input().
  /// Only before the first next_lines() or next_window().
  bool take_all(Buffer* out, std::string* err);

  Encoding encoding() const;
  bool gzip() const;
  /// Bytes read from the source so far (compressed bytes for gzip).
  std::uint64_t source_bytes() const;
  /// Invalid UTF-8 sequences decoded as Windows-1252 so far.
  std::uint64_t invalid_utf8() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// One chunk (Stream::read_at) joined to the line the chunk before left unfinished, and cut
/// after its last newline (kept whole when `last`): `buf` holds the chunk's `n` bytes from
/// offset `reserve`. On return *block is whole lines, valid UTF-8 (invalid bytes decoded as
/// Windows-1252, as next_lines() does, into `repaired` then), followed by kPadding readable
/// bytes (zeros after the last block); *carry is the start of the line this chunk leaves
/// unfinished (all of it when the chunk has no newline: the block is then empty), and
/// *invalid the repaired sequences. `buf` may grow when the carry is longer than `reserve`.
/// `newlines`, if given, as in Stream::next_lines().
void join_chunk(std::string* buf, std::size_t reserve, std::size_t n, bool last, std::string* carry,
                std::string* repaired, std::string_view* block, std::uint64_t* invalid,
                std::vector<std::uint32_t>* newlines = nullptr);

/// An input that could not be listed or opened, with the reason.
struct PathError {
  std::string path;
  std::string reason;
};

/// Expands command-line paths into the files to scan: regular files as given, directories
/// recursively (sorted, symlink loops cut, hidden files included), "-" kept as stdin.
/// FIFOs, sockets and devices met inside a directory are reported in `errors`, not opened.
/// Unreadable entries are appended to `errors`; the others are still returned.
std::vector<std::string> expand_paths(const std::vector<std::string>& paths,
                                      std::vector<PathError>* errors);

}  // namespace azd::input
