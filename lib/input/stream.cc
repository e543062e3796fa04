// Streams: an input read front to back in windows, gunzipped as it goes, handed out as
// blocks of whole lines (or windows the reader consumes in pieces) that are valid UTF-8.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstring>
#include <vector>

#include "base/pages.h"
#include "base/text.h"
#include "input/decode.h"
#include "input/input.h"

namespace azd::input {

using namespace detail;

namespace {

// Checks a block of whole lines as UTF-8, and repairs it into `repaired` when it is not
// (invalid bytes decoded as Windows-1252; *text then points there, followed by kPadding
// zeros). With `newlines`, their offsets in the final text, under 4 GiB. True if repaired.
bool check_block(std::string_view* text, std::string* repaired, std::uint64_t* invalid,
                 std::vector<std::uint32_t>* newlines) {
  if (newlines) newlines->clear();
  if (text->size() > UINT32_MAX) newlines = nullptr;
  const std::size_t bad = first_invalid_utf8(*text, newlines);
  if (bad == text->size()) return false;
  *repaired = repair_utf8(*text, bad, invalid);
  const std::size_t size = repaired->size();
  repaired->append(kPadding, '\0');
  *text = std::string_view(repaired->data(), size);
  if (newlines) base::find_newlines(*text, newlines);
  return true;
}

}  // namespace

struct Stream::Impl {
  OpenOptions options;
  int fd = -1;
  bool own_fd = false;
  bool regular = false;          // a regular file: take_all() may map it instead of copying
  std::uint64_t file_size = 0;   // of a regular file
  std::string_view memory;       // open_bytes(): the source
  std::size_t memory_pos = 0;
  bool source_eof = false;       // no more raw bytes
  std::uint64_t source = 0;      // raw bytes consumed

  bool is_gzip = false;
  bool inflating = false;        // zs is initialised
  bool gzip_done = false;        // the last member ended
  z_stream zs{};
  GzipCheck check;
  // Compressed bytes not yet inflated: zs.avail_in of them at zs.next_in, inside zin. The
  // kLookBehind bytes before zs.next_in are always in zin (the ones read last), so a member's
  // trailer can be read there when it ends, whichever reads it came in.
  std::string zin;
  static constexpr std::size_t kLookBehind = GzipCheck::kTrailer;
  std::uint64_t produced = 0;    // decompressed bytes so far (bomb limit)

  // Decoded bytes not yet handed out are buf[begin, end); buf always has kPadding bytes
  // of room after end.
  std::string buf;
  std::size_t begin = 0, end = 0;
  bool eof = false;              // end is the end of the content
  std::size_t bom = 0;           // bytes of UTF-8 BOM at the start of buf
  bool utf16 = false;
  bool head_utf8 = true;         // the head is valid UTF-8 (see start())
  // The head's check, kept for the first block of lines or window: buf[bom, head_checked)
  // is valid UTF-8 with its newlines at head_newlines (offsets from bom). A folder of hourly
  // files smaller than a window would otherwise have every byte checked twice.
  std::size_t head_checked = 0;
  std::vector<std::uint32_t> head_newlines;
  bool lines_started = false;    // handing out has begun (head() is gone)
  // next_window(): buf[begin, valid) is checked (and repaired) UTF-8; `handed` bytes from
  // begin were in the last window.
  std::size_t valid = 0, handed = 0;
  Encoding encoding = Encoding::utf8;
  // An error met while reading the first window: what was decoded before it is still
  // handed out, then the error is reported (a truncated gzip keeps its readable start).
  std::string pending_error;
  std::string repaired;          // the current block, when it needed repair
  std::uint64_t invalid = 0;

  ~Impl() {
    if (inflating) inflateEnd(&zs);
    if (own_fd && fd >= 0) ::close(fd);
    // The next input this thread opens reuses the buffer: a folder of hourly exports would
    // otherwise pay a fresh window (zero-filled, then its page faults) for every file.
    // One grown for a very long record is let go, so memory stays flat.
    if (buf.capacity() > spare_buffer().capacity() && buf.capacity() <= kMaxSpare) spare_buffer() = std::move(buf);
  }

  static constexpr std::size_t kMaxSpare = (std::size_t{4} << 20) + kPadding;

  // Sizes a buffer whose bytes are not needed to `size`. Its capacity leaves room for the
  // unfinished line a window carries over (a record, usually a few KB), so the window
  // buffers that take turns (take_lines(), the spare) keep one allocation for a whole
  // folder. Grown by resize() instead, each regrowth copied the old bytes into fresh pages
  // at almost every file: a third of a 40-file scan's page faults.
  static void make_room(std::string* b, std::size_t size) {
    constexpr std::size_t kTailRoom = std::size_t{64} << 10;
    if (b->capacity() < size) {
      std::string().swap(*b);  // nothing in it is kept: no copy into the new allocation
      base::reserve_prefaulted(b, size + kTailRoom);
    }
    b->resize(size);
  }
  static std::string& spare_buffer() {
    thread_local std::string spare;
    return spare;
  }

  // Raw bytes from the source into dst; *got == 0 means end of source.
  bool raw_read(char* dst, std::size_t cap, std::size_t* got, std::string* err) {
    *got = 0;
    if (source_eof || cap == 0) return true;
    if (fd < 0) {
      *got = std::min(cap, memory.size() - memory_pos);
      std::memcpy(dst, memory.data() + memory_pos, *got);
      memory_pos += *got;
    } else {
      for (;;) {
        const ssize_t n = ::read(fd, dst, cap);
        if (n >= 0) {
          *got = static_cast<std::size_t>(n);
          break;
        }
        if (errno == EINTR) continue;
        *err = "read failed: " + errno_text(errno);
        return false;
      }
    }
    if (*got == 0) source_eof = true;
    source += *got;
    return true;
  }

  // Makes room for `want` more decoded bytes after end (and the padding after them).
  void reserve(std::size_t want) {
    if (begin > 0 && lines_started) {
      std::memmove(buf.data(), buf.data() + begin, end - begin);
      end -= begin;
      valid = valid > begin ? valid - begin : 0;
      begin = 0;
    }
    const std::size_t need = end + want + kPadding;
    if (buf.size() < need) buf.resize(need <= buf.capacity() ? need : std::max(need, buf.size() * 2));
  }

  // Inflates into dst; *got == 0 means the end of the compressed content.
  bool inflate_some(char* dst, std::size_t cap, std::size_t* got, std::string* err) {
    *got = 0;
    while (*got == 0 && !gzip_done) {
      if (zs.avail_in == 0 && !source_eof && !refill_zin(err)) return false;
      zs.next_out = reinterpret_cast<Bytef*>(dst);
      zs.avail_out = static_cast<uInt>(std::min<std::size_t>(cap, 1U << 30));
      const uInt before_out = zs.avail_out;
      const int rc = inflate(&zs, Z_NO_FLUSH);
      *got = before_out - zs.avail_out;
      check.add(dst, *got);
      produced += *got;
      if (produced > options.max_decompressed) {
        *err = "gzip: decompressed size exceeds the limit of " + std::to_string(options.max_decompressed) +
               " bytes (possible gzip bomb; --max-decompressed raises it)";
        return false;
      }
      if (rc == Z_STREAM_END) {
        if (!check.end_member(zs.next_in - kLookBehind, err)) return false;
        // Another member may follow (`cat a.gz b.gz`); anything else after the end is
        // ignored, as gzip(1) ignores trailing zero padding.
        if (!next_member(err)) return false;
        continue;
      }
      if (rc == Z_BUF_ERROR && zs.avail_in == 0 && source_eof) {
        *err = "gzip: unexpected end of compressed data (truncated file) after " + std::to_string(produced) +
               " decompressed bytes";
        return false;
      }
      if (rc != Z_OK && rc != Z_BUF_ERROR) {
        *err = std::string("gzip: corrupt data (") + (zs.msg ? zs.msg : "inflate error") + ")";
        return false;
      }
    }
    return true;
  }

  // Reads more compressed bytes behind the unread ones (and the look-behind before them).
  bool refill_zin(std::string* err) {
    const std::size_t keep = kLookBehind + zs.avail_in;
    std::memmove(zin.data(), zs.next_in - kLookBehind, keep);
    std::size_t n = 0;
    if (!raw_read(zin.data() + keep, zin.size() - keep, &n, err)) return false;
    zs.next_in = reinterpret_cast<Bytef*>(zin.data() + kLookBehind);
    zs.avail_in = static_cast<uInt>(keep - kLookBehind + n);
    return true;
  }

  // After a member's end: reset for the next member when the gzip magic follows.
  bool next_member(std::string* err) {
    if (zs.avail_in < 2 && !source_eof && !refill_zin(err)) return false;
    const std::string_view rest(reinterpret_cast<const char*>(zs.next_in), zs.avail_in);
    if (detail::is_gzip(rest)) {
      inflateReset(&zs);
    } else {
      gzip_done = true;
    }
    return true;
  }

  // Appends up to one window of decoded bytes to buf; sets eof when there are no more.
  bool fill(std::string* err) {
    if (eof) {
      if (pending_error.empty()) return true;
      *err = pending_error;
      return false;
    }
    const std::size_t want = options.window;
    reserve(want);
    std::size_t got = 0;
    const bool ok = is_gzip ? inflate_some(buf.data() + end, want, &got, err)
                            : raw_read(buf.data() + end, want, &got, err);
    if (!ok) return false;
    end += got;
    if (got == 0) eof = true;
    return true;
  }

  // The end of buf[from, end) as far as the next read cannot change it: before the last
  // byte that may start a character whose remaining bytes are not read yet (everything,
  // once the content has ended).
  std::size_t settled_end(std::size_t from) const {
    std::size_t cut = end;
    if (!eof && cut > from && static_cast<unsigned char>(buf[cut - 1]) >= 0x80) {
      cut = end - 1;
      while (cut > from && (static_cast<unsigned char>(buf[cut]) & 0xC0) == 0x80) --cut;
    }
    return cut;
  }

  // Checks the bytes read since the last call as UTF-8, repairing invalid ones in place
  // (decoded as Windows-1252, as repair_utf8() does for a whole input), up to
  // settled_end(). A character never spans a byte that cannot continue it, so every part
  // is repaired exactly as the whole input would be.
  void validate() {
    const std::size_t cut = settled_end(valid);
    const std::string_view chunk(buf.data() + valid, cut - valid);
    const std::size_t bad = first_invalid_utf8(chunk);
    if (bad == chunk.size()) {
      valid = cut;
      return;
    }
    const std::string fixed = repair_utf8(chunk, bad, &invalid);
    encoding = Encoding::cp1252;
    const std::size_t tail = end - cut;
    const std::size_t grown = valid + fixed.size() + tail;
    if (buf.size() < grown + kPadding) buf.resize(grown + kPadding);
    std::memmove(buf.data() + valid + fixed.size(), buf.data() + cut, tail);
    std::memcpy(buf.data() + valid, fixed.data(), fixed.size());
    valid += fixed.size();
    end = grown;
  }

  // Reads the first window and decides what the content is.
  bool start(std::string* err) {
    // A file smaller than the window gets a buffer its size: a folder of small hourly
    // exports must not cost a fresh window (and its page faults) per file. (Compressed
    // files keep the window: their content is larger than the file.)
    const std::size_t requested = std::max<std::size_t>(options.window, 64);
    if (regular && file_size + 1 < options.window) options.window = static_cast<std::size_t>(file_size + 1);
    if (options.window < 64) options.window = 64;
    buf = std::move(spare_buffer());
    spare_buffer() = std::string();
    make_room(&buf, options.window + kPadding);
    // Two bytes at least, to recognise gzip even from a pipe that delivers one at a time.
    while (end < 2) {
      std::size_t got = 0;
      if (!raw_read(buf.data() + end, options.window - end, &got, err)) return false;
      if (got == 0) break;
      end += got;
    }
    if (detail::is_gzip(std::string_view(buf.data(), end))) {
      is_gzip = true;
      options.window = requested;
      if (!init_gunzip(&zs, err)) return false;
      inflating = true;
      // The first read may already hold more than one input chunk of compressed bytes.
      zin.assign(kLookBehind + std::max<std::size_t>(std::size_t{1} << 18, end), '\0');
      std::memcpy(zin.data() + kLookBehind, buf.data(), end);
      zs.next_in = reinterpret_cast<Bytef*>(zin.data() + kLookBehind);
      zs.avail_in = static_cast<uInt>(end);
      end = 0;
    }
    // The head holds a window and at least the first line, so the shape can be told from
    // a whole first record even with a tiny window; a first line of several MiB is the
    // sign of another shape (one huge object), which take_all() will read whole anyway.
    const std::size_t head_limit = 4 * std::max<std::size_t>(options.window, std::size_t{1} << 20);
    // (Only the bytes each fill adds are searched for the newline.)
    bool newline = std::memchr(buf.data(), '\n', end) != nullptr;
    std::size_t searched = end;
    while (!eof && (end < options.window || (!newline && end < head_limit))) {
      if (regular && !is_gzip && end >= file_size && end < options.window) {
        // The whole file is in: confirm the end with a read into the room left, instead
        // of fill() growing the buffer by another window for the read that returns 0.
        std::size_t got = 0;
        if (!raw_read(buf.data() + end, options.window - end, &got, &pending_error)) eof = true;
        end += got;
        if (got == 0) eof = true;
        continue;
      }
      if (!fill(&pending_error)) eof = true;
      newline = newline || std::memchr(buf.data() + searched, '\n', end - searched) != nullptr;
      searched = end;
    }
    const std::string_view first(buf.data(), end);
    if (first.substr(0, 3) == "\xEF\xBB\xBF") {
      bom = 3;
      encoding = Encoding::utf8_bom;
    } else if (first.substr(0, 2) == "\xFF\xFE" || first.substr(0, 2) == "\xFE\xFF" || looks_like_utf16le(first)) {
      utf16 = true;
    }
    // Repairing invalid bytes (Windows-1252) changes the text's length, and with it what the
    // shape sniffer sees within its limits: such an input is read whole, so its shape is
    // decided on the repaired text, as a whole read decides it. A character cut by the end
    // of the head is not invalid.
    const std::string_view checked(buf.data() + bom, settled_end(bom) - bom);
    const bool listed = checked.size() <= UINT32_MAX;
    head_utf8 = first_invalid_utf8(checked, listed ? &head_newlines : nullptr) == checked.size();
    if (head_utf8 && listed) head_checked = bom + checked.size();
    return true;
  }
};

Stream::Stream() = default;
Stream::~Stream() = default;
Stream::Stream(Stream&&) noexcept = default;
Stream& Stream::operator=(Stream&&) noexcept = default;

bool Stream::open(const std::string& path, const OpenOptions& options, std::string* err) {
  impl_ = std::make_unique<Impl>();
  Impl& im = *impl_;
  im.options = options;
  if (path == "-") {
    im.fd = STDIN_FILENO;
  } else {
    im.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (im.fd < 0) {
      *err = errno_text(errno);
      return false;
    }
    im.own_fd = true;
    struct stat st{};
    if (::fstat(im.fd, &st) != 0) {
      *err = errno_text(errno);
      return false;
    }
    if (S_ISDIR(st.st_mode)) {
      *err = "is a directory";
      return false;
    }
    // Files whose size the kernel does not know (/proc) are read like pipes.
    im.regular = S_ISREG(st.st_mode) && st.st_size > 0;
    if (im.regular) {
      // (Read-ahead advice means nothing to a file that one read takes in: a system call
      // saved per file of a folder of small hourly exports.)
      if (static_cast<std::uint64_t>(st.st_size) >= options.window) ::posix_fadvise(im.fd, 0, 0, POSIX_FADV_SEQUENTIAL);
      im.file_size = static_cast<std::uint64_t>(st.st_size);
    }
  }
  return im.start(err);
}

bool Stream::open_bytes(std::string_view bytes, const OpenOptions& options, std::string* err) {
  impl_ = std::make_unique<Impl>();
  impl_->options = options;
  impl_->memory = bytes;
  return impl_->start(err);
}

std::string_view Stream::head() const {
  const Impl& im = *impl_;
  return std::string_view(im.buf.data() + im.bom, im.end - im.bom);
}

bool Stream::line_readable() const { return !impl_->utf16 && impl_->head_utf8; }

bool Stream::next_lines(std::string_view* block, std::string* err, std::vector<std::uint32_t>* newlines) {
  Impl& im = *impl_;
  *block = {};
  if (!im.lines_started) {
    im.lines_started = true;
    im.begin = im.bom;
  }
  for (;;) {
    if (im.end - im.begin >= im.options.window || im.eof) {
      const char* base = im.buf.data();
      const void* nl = ::memrchr(base + im.begin, '\n', im.end - im.begin);
      std::size_t stop = 0;
      if (nl) {
        stop = static_cast<std::size_t>(static_cast<const char*>(nl) - base) + 1;
      } else if (im.eof) {
        stop = im.end;
        // The parser may look at the byte after a record that ends the input: make the
        // padding read as zeros, as after a whole buffer, so errors read the same either way.
        std::memset(im.buf.data() + im.end, 0, kPadding);
      }
      if (im.eof && stop <= im.begin && !im.pending_error.empty()) {
        *err = im.pending_error;
        return false;
      }
      if (stop > 0 || im.eof) {
        std::string_view text(base + im.begin, stop > im.begin ? stop - im.begin : 0);
        const bool in_head = im.begin == im.bom && stop <= im.head_checked;
        im.begin = std::max(stop, im.begin);
        if (in_head) {
          // Every newline of the head is in the block: it ends after the last newline read.
          if (newlines) newlines->swap(im.head_newlines);
        } else if (check_block(&text, &im.repaired, &im.invalid, newlines)) {
          im.encoding = Encoding::cp1252;
        }
        im.head_checked = 0;  // only the first block starts at the head
        im.head_newlines.clear();
        *block = text;
        return true;
      }
    }
    // Not a whole line yet (or not a window's worth): read more, growing for long lines.
    // A failure ends the input: what is already buffered is still handed out, then the
    // error is reported.
    if (!im.fill(&im.pending_error)) im.eof = true;
  }
}

bool Stream::next_window(std::size_t consumed, std::string_view* window, bool* at_end, std::string* err) {
  Impl& im = *impl_;
  *window = {};
  *at_end = false;
  if (!im.lines_started) {
    im.lines_started = true;
    im.begin = im.bom;
    im.valid = std::max(im.bom, im.head_checked);  // the head's check holds (see next_lines)
    im.handed = 0;
  }
  consumed = std::min(consumed, im.handed);
  im.begin += consumed;
  const std::size_t left = im.handed - consumed;
  // Something new in every window; twice as much when the reader took nothing (a record
  // longer than the window), so such a record is scanned a few times, not once per read.
  const std::size_t want = std::max(im.options.window, consumed == 0 && left > 0 ? 2 * left : left + 1);
  while (im.valid - im.begin < want && !im.eof) {
    // A failure ends the input: what is already buffered is still handed out (as not the
    // end, so a record cut by the failure is not reported as truncated), then the error.
    if (!im.fill(&im.pending_error)) im.eof = true;
    im.validate();
  }
  if (im.eof) {
    im.validate();
    if (!im.pending_error.empty() && im.valid - im.begin <= left) {
      *err = im.pending_error;
      return false;
    }
    // The parser may look at the byte after a record that ends the input: zeros, as after
    // a whole buffer (see next_lines).
    std::memset(im.buf.data() + im.end, 0, kPadding);
    *at_end = im.pending_error.empty();
  }
  im.handed = im.valid - im.begin;
  *window = std::string_view(im.buf.data() + im.begin, im.handed);
  return true;
}

bool Stream::take_lines(std::string* storage, std::string_view* block, std::string* err,
                        std::vector<std::uint32_t>* newlines) {
  Impl& im = *impl_;
  if (!next_lines(block, err, newlines)) return false;
  if (block->empty()) return true;
  if (block->data() == im.repaired.data()) {
    im.repaired.swap(*storage);
    return true;
  }
  // The block is in buf: give buf away and keep the unread tail in the caller's old buffer.
  im.buf.swap(*storage);
  const std::size_t tail = im.end - im.begin;
  // At least as large as the buffer given away (it may have grown for a long line), so the
  // two buffers that take turns keep their size and are never reallocated block after block.
  const std::size_t need = std::max(tail + im.options.window + kPadding, storage->size());
  if (im.buf.size() < need) Impl::make_room(&im.buf, need);
  std::memcpy(im.buf.data(), storage->data() + im.begin, tail);
  im.begin = 0;
  im.end = tail;
  return true;
}

bool Stream::chunkable() const {
  const Impl& im = *impl_;
  return (im.regular || im.fd < 0) && !im.is_gzip && !im.utf16 && im.head_utf8 && im.lines_started && !im.eof &&
         im.pending_error.empty();
}

void Stream::begin_chunks(std::string* carry, std::uint64_t* pos, std::uint64_t* end) {
  Impl& im = *impl_;
  carry->assign(im.buf.data() + im.begin, im.end - im.begin);
  im.begin = im.end = 0;
  im.eof = true;  // nothing more through this object's own reads
  *pos = im.fd < 0 ? im.memory_pos : im.source;
  *end = im.fd < 0 ? im.memory.size() : im.file_size;
}

bool Stream::read_at(std::uint64_t pos, char* dst, std::size_t n, std::string* err) const {
  const Impl& im = *impl_;
  if (im.fd < 0) {
    if (pos > im.memory.size() || n > im.memory.size() - pos) {
      *err = "read past the end of the input";
      return false;
    }
    std::memcpy(dst, im.memory.data() + pos, n);
    return true;
  }
  std::size_t done = 0;
  while (done < n) {
    const ssize_t got = ::pread(im.fd, dst + done, n - done, static_cast<off_t>(pos + done));
    if (got < 0) {
      if (errno == EINTR) continue;
      *err = "read failed: " + errno_text(errno);
      return false;
    }
    if (got == 0) {
      *err = "the file became shorter while it was read (" + std::to_string(pos + done) + " of " +
             std::to_string(im.file_size) + " bytes)";
      return false;
    }
    done += static_cast<std::size_t>(got);
  }
  return true;
}

void Stream::note_chunk(std::uint64_t raw, std::uint64_t invalid) {
  Impl& im = *impl_;
  im.source += raw;
  if (im.fd < 0) im.memory_pos += raw;
  im.invalid += invalid;
  if (invalid > 0) im.encoding = Encoding::cp1252;
}

void join_chunk(std::string* buf, std::size_t reserve, std::size_t n, bool last, std::string* carry,
                std::string* repaired, std::string_view* block, std::uint64_t* invalid,
                std::vector<std::uint32_t>* newlines) {
  *invalid = 0;
  std::size_t from = reserve;
  if (carry->size() <= reserve) {
    from = reserve - carry->size();
  } else {
    // A line longer than the room before the chunk (rare): move the chunk up behind it.
    const std::size_t grow = carry->size() - reserve;
    if (buf->size() < reserve + n + grow + kPadding) buf->resize(reserve + n + grow + kPadding);
    std::memmove(buf->data() + reserve + grow, buf->data() + reserve, n);
    from = 0;
  }
  std::memcpy(buf->data() + from, carry->data(), carry->size());
  const std::size_t to = from + carry->size() + n;  // end of the joined bytes
  std::size_t stop = to;
  if (!last) {
    const void* nl = ::memrchr(buf->data() + from, '\n', to - from);
    stop = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - buf->data()) + 1 : from;
  } else {
    // The parser may look at the byte after a record that ends the input (see next_lines).
    std::memset(buf->data() + to, 0, kPadding);
  }
  carry->assign(buf->data() + stop, to - stop);
  std::string_view text(buf->data() + from, stop - from);
  check_block(&text, repaired, invalid, newlines);
  *block = text;
}

bool Stream::take_all(Buffer* out, std::string* err) {
  Impl& im = *impl_;
  if (!im.pending_error.empty()) {
    *err = im.pending_error;
    return false;
  }
  if (im.regular && !im.is_gzip) {
    // Map the whole file rather than copy it: arrays and envelopes are split in place.
    struct stat st{};
    if (::fstat(im.fd, &st) != 0) {
      *err = errno_text(errno);
      return false;
    }
    if (!map_file(im.fd, static_cast<std::size_t>(st.st_size), out, err)) return false;
    im.source = static_cast<std::uint64_t>(st.st_size);
    normalise_encoding(out);
    im.encoding = out->encoding();
    im.invalid = out->invalid_utf8();
    return true;
  }
  std::string all(im.buf.data(), im.end);
  if (im.is_gzip) {
    im.end = 0;
    while (!im.eof) {
      if (!im.fill(err)) return false;
      all.append(im.buf.data(), im.end);
      im.end = 0;
    }
  } else if (im.fd >= 0) {
    if (!im.source_eof && !read_all(im.fd, &all, err)) return false;
  } else {
    all.append(im.memory.substr(im.memory_pos));
    im.source += im.memory.size() - im.memory_pos;
    im.memory_pos = im.memory.size();
  }
  const std::uint64_t source = im.fd >= 0 && !im.is_gzip ? all.size() : im.source;
  *out = heap_buffer(std::move(all));
  out->set_source_bytes(source);
  out->set_gzip(im.is_gzip);
  normalise_encoding(out);
  im.source = source;
  im.encoding = out->encoding();
  im.invalid = out->invalid_utf8();
  return true;
}

Encoding Stream::encoding() const { return impl_ ? impl_->encoding : Encoding::utf8; }
bool Stream::gzip() const { return impl_ && impl_->is_gzip; }
std::uint64_t Stream::source_bytes() const { return impl_ ? impl_->source : 0; }
std::uint64_t Stream::invalid_utf8() const { return impl_ ? impl_->invalid : 0; }

}  // namespace azd::input
