// Opening inputs: mmap with padding, stdin and FIFOs, gzip, and encoding normalisation.
#include "input/input.h"

#include <dirent.h>
#include <emmintrin.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>
#include <utility>

#include "base/text.h"
#include "input/decode.h"

namespace azd::input {
namespace detail {

std::string errno_text(int e) { return std::strerror(e); }

std::size_t page_size() {
  static const std::size_t size = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  return size;
}

std::size_t round_up(std::size_t n, std::size_t to) { return (n + to - 1) / to * to; }

// Reads everything from a descriptor that cannot be mapped (stdin, pipes, FIFOs, /proc).
bool read_all(int fd, std::string* storage, std::string* err) {
  std::size_t used = storage->size();
  storage->resize(std::max<std::size_t>(used * 2, 1 << 16));
  for (;;) {
    if (storage->size() - used < (1 << 15)) storage->resize(storage->size() * 2);
    ssize_t n = ::read(fd, storage->data() + used, storage->size() - used);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      *err = "read failed: " + errno_text(errno);
      return false;
    }
    used += static_cast<std::size_t>(n);
  }
  storage->resize(used);
  return true;
}

// Maps a regular file so that kPadding readable bytes follow its end, without copying it:
// reserve an anonymous region of size + padding, then map the file over its start. Bytes
// after EOF in the last file page read as zero, and the pages after that are anonymous.
bool map_file(int fd, std::size_t size, Buffer* out, std::string* err) {
  const std::size_t mapped = round_up(size + kPadding, page_size());
  void* region = ::mmap(nullptr, mapped, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (region == MAP_FAILED) {
    *err = "cannot reserve memory: " + errno_text(errno);
    return false;
  }
  // MAP_POPULATE: the whole file is read anyway; one call maps every page instead of one
  // fault per few pages (measured: sys time of a 1 GB scan 0.22 s -> 0.10 s).
  void* file = ::mmap(region, size, PROT_READ, MAP_PRIVATE | MAP_FIXED | MAP_POPULATE, fd, 0);
  if (file == MAP_FAILED) {
    int e = errno;
    ::munmap(region, mapped);
    *err = "mmap failed: " + errno_text(e);
    return false;
  }
  // The whole file is read front to back once; tell the kernel so it reads ahead.
  ::madvise(region, size, MADV_SEQUENTIAL);
  *out = Buffer::from_mapping(static_cast<char*>(region), size, mapped);
  return true;
}

bool is_gzip(std::string_view b) {
  return b.size() >= 2 && static_cast<unsigned char>(b[0]) == 0x1f &&
         static_cast<unsigned char>(b[1]) == 0x8b;
}

// Inflates every gzip member in `in` (concatenated members are legal and produced by
// `cat a.gz b.gz`). Stops with an error once `limit` bytes have been produced.
bool gunzip(std::string_view in, std::uint64_t limit, std::string* out, std::string* err) {
  z_stream zs;
  if (!init_gunzip(&zs, err)) return false;
  GzipCheck check;
  out->clear();
  out->resize(std::min<std::uint64_t>(limit, std::max<std::size_t>(in.size() * 4, 1 << 16)));
  std::size_t produced = 0;
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  std::size_t remaining_in = in.size();
  bool ok = true;
  for (;;) {
    if (produced == out->size()) {
      if (out->size() >= limit) {
        *err = "gzip: decompressed size exceeds the limit of " + std::to_string(limit) +
               " bytes (possible gzip bomb); the input was not scanned";
        ok = false;
        break;
      }
      out->resize(static_cast<std::size_t>(std::min<std::uint64_t>(limit, out->size() * 2)));
    }
    const uInt in_chunk = static_cast<uInt>(std::min<std::size_t>(remaining_in, 1U << 30));
    const uInt out_chunk = static_cast<uInt>(std::min<std::size_t>(out->size() - produced, 1U << 30));
    zs.avail_in = in_chunk;
    zs.next_out = reinterpret_cast<Bytef*>(out->data() + produced);
    zs.avail_out = out_chunk;
    int rc = inflate(&zs, Z_NO_FLUSH);
    remaining_in -= in_chunk - zs.avail_in;
    check.add(out->data() + produced, out_chunk - zs.avail_out);
    produced += out_chunk - zs.avail_out;
    if (rc == Z_STREAM_END) {
      // The trailer is the member's last bytes, just read.
      if (!check.end_member(zs.next_in - GzipCheck::kTrailer, err)) {
        ok = false;
        break;
      }
      // Another member may follow; trailing zero padding is tolerated as gzip(1) does.
      std::string_view rest = in.substr(in.size() - remaining_in);
      if (!is_gzip(rest)) break;
      inflateReset(&zs);
      continue;
    }
    if (rc == Z_BUF_ERROR && zs.avail_in == 0 && remaining_in == 0) {
      *err = "gzip: unexpected end of compressed data (truncated file); " +
             std::to_string(produced) + " bytes recovered were not scanned";
      ok = false;
      break;
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      *err = std::string("gzip: corrupt data (") + (zs.msg ? zs.msg : "inflate error") + ")";
      ok = false;
      break;
    }
  }
  inflateEnd(&zs);
  out->resize(produced);
  return ok;
}

void append_utf8(std::string* out, std::uint32_t cp) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

constexpr std::uint32_t kReplacement = 0xFFFD;

// UTF-16 to UTF-8. Unpaired surrogates and an odd trailing byte become U+FFFD and are
// counted, so damage is visible in the report instead of silently dropped.
std::string utf16_to_utf8(std::string_view in, bool big_endian, std::uint64_t* damaged) {
  std::string out;
  out.reserve(in.size() / 2 + in.size() / 8 + kPadding);
  auto unit = [&](std::size_t i) -> std::uint32_t {
    auto a = static_cast<unsigned char>(in[i]), b = static_cast<unsigned char>(in[i + 1]);
    return big_endian ? (std::uint32_t{a} << 8 | b) : (std::uint32_t{b} << 8 | a);
  };
  std::size_t i = 0;
  const std::size_t n = in.size() & ~std::size_t{1};
  while (i < n) {
    std::uint32_t u = unit(i);
    i += 2;
    if (u < 0x80) {
      out.push_back(static_cast<char>(u));
    } else if (u >= 0xD800 && u <= 0xDBFF) {
      if (i < n) {
        std::uint32_t low = unit(i);
        if (low >= 0xDC00 && low <= 0xDFFF) {
          i += 2;
          append_utf8(&out, 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00));
          continue;
        }
      }
      append_utf8(&out, kReplacement);
      ++*damaged;
    } else if (u >= 0xDC00 && u <= 0xDFFF) {
      append_utf8(&out, kReplacement);
      ++*damaged;
    } else {
      append_utf8(&out, u);
    }
  }
  if (in.size() & 1) {
    append_utf8(&out, kReplacement);
    ++*damaged;
  }
  return out;
}

// Length of the valid UTF-8 sequence at p (1..4), or 0 when it is not valid.
std::size_t utf8_sequence(const unsigned char* p, const unsigned char* end) {
  unsigned char c = p[0];
  if (c < 0x80) return 1;
  std::size_t len;
  std::uint32_t min;
  if ((c & 0xE0) == 0xC0) {
    len = 2;
    min = 0x80;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3;
    min = 0x800;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4;
    min = 0x10000;
  } else {
    return 0;
  }
  if (static_cast<std::size_t>(end - p) < len) return 0;
  std::uint32_t cp = c & (0x7F >> len);
  for (std::size_t k = 1; k < len; ++k) {
    if ((p[k] & 0xC0) != 0x80) return 0;
    cp = cp << 6 | (p[k] & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

namespace {
// first_invalid_utf8(), compiled once for each kind of caller, so whether newlines are
// listed is settled outside the loop. (When the head's check became a second caller that
// lists newlines, the optimiser stopped inlining the function, and the one copy it kept
// made a one-thread scan 2 % slower; A/B, 11 alternating pairs.)
template <bool kListNewlines>
[[gnu::always_inline]] inline std::size_t scan_utf8(std::string_view in, std::vector<std::uint32_t>* newlines) {
  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  const auto* end = p + in.size();
  const auto* start = p;
  auto note = [&](const unsigned char* at) {
    if (kListNewlines) newlines->push_back(static_cast<std::uint32_t>(at - start));
  };
  while (p < end) {
    // 64 ASCII bytes per step while it lasts: one SSE2 test for four 16-byte loads (SSE2
    // is in every x86-64 CPU). Almost every byte of a real export is ASCII.
    if (end - p >= 64) {
      const base::Bytes64 b(p);
      if (_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(b.v[0], b.v[1]), _mm_or_si128(b.v[2], b.v[3]))) == 0) {
        if (kListNewlines) base::find_in_64(b, '\n', static_cast<std::size_t>(p - start), newlines);
        p += 64;
        continue;
      }
    }
    if (end - p >= 8) {
      std::uint64_t word;
      std::memcpy(&word, p, 8);
      if ((word & 0x8080808080808080ULL) == 0) {
        for (int i = 0; i < 8; ++i) {
          if (p[i] == '\n') note(p + i);
        }
        p += 8;
        continue;
      }
    }
    std::size_t len = utf8_sequence(p, end);
    if (len == 0) return static_cast<std::size_t>(p - start);
    if (*p == '\n') note(p);
    p += len;
  }
  return in.size();
}
}  // namespace

// Offset of the first invalid UTF-8 byte, or in.size() when all of it is valid; with
// `newlines`, the offsets of the '\n' bytes before it are appended there in the same pass
// (the block was about to be read again to find them, and reading it once saves a pass
// over every byte).
std::size_t first_invalid_utf8(std::string_view in, std::vector<std::uint32_t>* newlines) {
  return newlines ? scan_utf8<true>(in, newlines) : scan_utf8<false>(in, nullptr);
}

// Windows-1252 code points for 0x80..0x9F; the rest of the upper half maps to Latin-1.
constexpr std::uint16_t kCp1252High[32] = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};

// Keeps every valid UTF-8 sequence and decodes each invalid byte as Windows-1252, so a file
// written through a legacy code page stays readable and valid UTF-8 is never altered.
std::string repair_utf8(std::string_view in, std::size_t first_bad, std::uint64_t* bad) {
  std::string out;
  out.reserve(in.size() + in.size() / 16 + kPadding);
  out.append(in.substr(0, first_bad));
  const auto* p = reinterpret_cast<const unsigned char*>(in.data()) + first_bad;
  const auto* end = reinterpret_cast<const unsigned char*>(in.data()) + in.size();
  while (p < end) {
    std::size_t len = utf8_sequence(p, end);
    if (len) {
      out.append(reinterpret_cast<const char*>(p), len);
      p += len;
      continue;
    }
    ++*bad;
    unsigned char c = *p++;
    append_utf8(&out, c >= 0xA0 ? c : kCp1252High[c - 0x80]);
  }
  return out;
}

// UTF-16 without a BOM still shows itself: ASCII structure characters alternate with NULs.
bool looks_like_utf16le(std::string_view b) {
  if (b.size() < 4) return false;
  return b[1] == '\0' && b[3] == '\0' && b[0] != '\0' && b[2] != '\0';
}

Buffer heap_buffer(std::string&& text) {
  const std::size_t size = text.size();
  text.resize(size + kPadding, '\0');
  return Buffer::from_heap(std::move(text), size);
}

// Turns raw bytes (already gunzipped) into UTF-8 text in `out`. `raw` must point into a
// buffer that `out` may replace; it is not used after `out` is assigned.
void normalise_encoding(Buffer* out) {
  std::string_view b = out->text();
  auto starts = [&](std::string_view magic) { return b.substr(0, magic.size()) == magic; };
  std::uint64_t damaged = 0;
  if (starts("\xEF\xBB\xBF")) {
    out->skip_prefix(3);
    out->set_encoding(Encoding::utf8_bom);
    b = out->text();
  } else if (starts("\xFF\xFE") || starts("\xFE\xFF") || looks_like_utf16le(b)) {
    Encoding e = starts("\xFF\xFE")   ? Encoding::utf16le_bom
                 : starts("\xFE\xFF") ? Encoding::utf16be_bom
                                      : Encoding::utf16le;
    std::string_view units = e == Encoding::utf16le ? b : b.substr(2);
    std::string text = utf16_to_utf8(units, e == Encoding::utf16be_bom, &damaged);
    const std::uint64_t source = out->source_bytes();
    const bool gz = out->gzip();
    *out = heap_buffer(std::move(text));
    out->set_encoding(e);
    out->set_source_bytes(source);
    out->set_gzip(gz);
    out->set_invalid_utf8(damaged);
    return;
  }
  std::size_t bad_at = first_invalid_utf8(b);
  if (bad_at == b.size()) return;
  std::string text = repair_utf8(b, bad_at, &damaged);
  const std::uint64_t source = out->source_bytes();
  const bool gz = out->gzip();
  *out = heap_buffer(std::move(text));
  out->set_encoding(Encoding::cp1252);
  out->set_source_bytes(source);
  out->set_gzip(gz);
  out->set_invalid_utf8(damaged);
}

bool finish_buffer(Buffer* buf, const OpenOptions& options, std::string* err) {
  if (is_gzip(buf->text())) {
    std::string plain;
    const std::uint64_t source = buf->source_bytes();
    if (!gunzip(buf->text(), options.max_decompressed, &plain, err)) return false;
    *buf = heap_buffer(std::move(plain));
    buf->set_source_bytes(source);
    buf->set_gzip(true);
  }
  normalise_encoding(buf);
  return true;
}

std::string special_file_kind(std::filesystem::file_status status) {
  switch (status.type()) {
    case std::filesystem::file_type::fifo: return "FIFO";
    case std::filesystem::file_type::socket: return "socket";
    case std::filesystem::file_type::block: return "block device";
    case std::filesystem::file_type::character: return "character device";
    default: return "special file";
  }
}

}  // namespace detail

using namespace detail;

std::string_view encoding_name(Encoding e) {
  switch (e) {
    case Encoding::utf8: return "utf-8";
    case Encoding::utf8_bom: return "utf-8+bom";
    case Encoding::utf16le_bom: return "utf-16le+bom";
    case Encoding::utf16be_bom: return "utf-16be+bom";
    case Encoding::utf16le: return "utf-16le";
    case Encoding::cp1252: return "windows-1252";
  }
  return "unknown";
}

Buffer::~Buffer() { release(); }

Buffer::Buffer(Buffer&& other) noexcept { *this = std::move(other); }

Buffer& Buffer::operator=(Buffer&& other) noexcept {
  if (this == &other) return *this;
  release();
  heap_ = std::move(other.heap_);
  data_ = other.mapped_ ? other.data_ : heap_.data();
  size_ = other.size_;
  begin_ = other.begin_;
  mapped_ = other.mapped_;
  source_bytes_ = other.source_bytes_;
  invalid_utf8_ = other.invalid_utf8_;
  encoding_ = other.encoding_;
  gzip_ = other.gzip_;
  other.data_ = nullptr;
  other.size_ = other.begin_ = other.mapped_ = 0;
  return *this;
}

void Buffer::release() {
  if (mapped_) ::munmap(data_, mapped_);
  mapped_ = 0;
  data_ = nullptr;
  heap_.clear();
  heap_.shrink_to_fit();
}

Buffer Buffer::from_heap(std::string&& storage, std::size_t size) {
  Buffer b;
  b.heap_ = std::move(storage);
  b.data_ = b.heap_.data();
  b.size_ = size;
  b.source_bytes_ = size;
  return b;
}

Buffer Buffer::from_mapping(char* base, std::size_t size, std::size_t mapped) {
  Buffer b;
  b.data_ = base;
  b.size_ = size;
  b.mapped_ = mapped;
  b.source_bytes_ = size;
  return b;
}

bool buffer_from_bytes(std::string_view bytes, const OpenOptions& options, Buffer* out,
                       std::string* err) {
  *out = heap_buffer(std::string(bytes));
  return finish_buffer(out, options, err);
}

bool open_input(const std::string& path, const OpenOptions& options, Buffer* out, std::string* err) {
  if (path == "-") {
    std::string storage;
    if (!read_all(STDIN_FILENO, &storage, err)) return false;
    *out = heap_buffer(std::move(storage));
    return finish_buffer(out, options, err);
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *err = errno_text(errno);
    return false;
  }
  struct stat st{};
  if (::fstat(fd, &st) != 0) {
    *err = errno_text(errno);
    ::close(fd);
    return false;
  }
  bool ok;
  if (S_ISDIR(st.st_mode)) {
    *err = "is a directory";
    ok = false;
  } else if (S_ISREG(st.st_mode) && st.st_size > 0) {
    ok = map_file(fd, static_cast<std::size_t>(st.st_size), out, err);
  } else {
    // FIFOs, character devices and files whose size the kernel does not know (/proc).
    std::string storage;
    ok = read_all(fd, &storage, err);
    if (ok) *out = heap_buffer(std::move(storage));
  }
  ::close(fd);
  return ok && finish_buffer(out, options, err);
}

std::vector<std::string> expand_paths(const std::vector<std::string>& paths,
                                      std::vector<PathError>* errors) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  // Directories already walked, by device and inode, so a symlink loop is entered once.
  std::set<std::pair<dev_t, ino_t>> seen_dirs;

  // The listing is read with opendir/readdir into plain strings: a directory_entry holds an
  // fs::path, which keeps each of its components as a path of its own, and a folder of
  // 2,000 hourly exports cost 4.5 ms of allocations, most of it the first touch of the
  // heap's pages (docs/performance.md).
  auto walk = [&](auto&& self, const std::string& dir) -> void {
    struct stat st{};
    if (::stat(dir.c_str(), &st) != 0) {
      errors->push_back({dir, errno_text(errno)});
      return;
    }
    if (!seen_dirs.insert({st.st_dev, st.st_ino}).second) return;
    DIR* d = ::opendir(dir.c_str());
    if (d == nullptr) {
      errors->push_back({dir, errno_text(errno)});
      return;
    }
    struct Entry {
      std::string path;
      unsigned char type;  // d_type: DT_REG, DT_DIR, DT_LNK, DT_UNKNOWN...
    };
    std::vector<Entry> entries;
    const std::string prefix = dir.back() == '/' ? dir : dir + '/';
    for (;;) {
      errno = 0;
      const dirent* e = ::readdir(d);
      if (e == nullptr) {
        if (errno != 0) errors->push_back({dir, errno_text(errno)});
        break;
      }
      const std::string_view name(e->d_name);
      if (name == "." || name == "..") continue;
      entries.push_back({prefix + e->d_name, e->d_type});
    }
    ::closedir(d);
    // Entries of one directory differ in their last component only, so comparing the whole
    // strings gives the order of fs::path's component-wise compare.
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.path < b.path; });
    for (const Entry& entry : entries) {
      // The listing already says which entries are plain files or directories; only the
      // others (links, which must be followed, special files, and file systems that do not
      // say) cost a stat. (A stat per file was 3 µs each: 6 ms for 2,000 hourly exports.)
      std::error_code sec;
      fs::file_status status;
      if (entry.type == DT_REG) {
        status = fs::file_status(fs::file_type::regular);
      } else if (entry.type == DT_DIR) {
        status = fs::file_status(fs::file_type::directory);
      } else {
        status = fs::status(entry.path, sec);
      }
      if (sec) {
        errors->push_back({entry.path, sec.message()});
      } else if (fs::is_directory(status)) {
        self(self, entry.path);
      } else if (fs::is_regular_file(status) || status.type() == fs::file_type::not_found) {
        // (A dangling symlink: open_input() reports it with the system's reason.)
        files.push_back(entry.path);
      } else {
        // A FIFO found while walking would block the scan until some writer appears, and
        // devices or sockets are not logs. Named on the command line they are still read.
        errors->push_back({entry.path, "not a regular file (" + special_file_kind(status) + ")"});
      }
    }
  };

  for (const std::string& p : paths) {
    if (p == "-") {
      files.push_back(p);
      continue;
    }
    std::error_code ec;
    fs::file_status status = fs::status(p, ec);
    if (ec) {
      errors->push_back({p, ec.message()});
    } else if (fs::is_directory(status)) {
      walk(walk, p);
    } else {
      files.push_back(p);
    }
  }
  return files;
}

}  // namespace azd::input
