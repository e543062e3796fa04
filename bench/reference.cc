// reference: the bare-simdjson baseline that azdetect is measured against. It reads one
// field (operationName) per record and counts the records whose operation contains
// "delete" (case-insensitive), the same question the jq baseline in bench/run.sh asks,
// so the counts must agree.
//
// With --walk it visits every top-level field of every record instead of stopping at
// operationName (On Demand skips each value it is not asked for, token by token): the least
// any tool that checks each record to its end pays, whatever it then does with the fields.
//
// JSON Lines go through iterate_many (batched stage 1, the fastest On Demand path).
// Arrays and envelopes are iterated as one document, which is what a bare simdjson program
// would do; note that this builds a structural index of the whole file, so its peak RSS
// grows with the input, unlike azdetect's.
//
// simdjson's On Demand code is compiled for one kernel chosen at build time; CMake builds
// one reference per kernel azdetect can dispatch to (bench_reference_<kernel>), and
// bench/run.sh runs the one matching `azdetect --version -v`.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string_view>
#include <utility>

#include <simdjson.h>

namespace {

namespace od = simdjson::ondemand;

#define AZD_STR2(x) #x
#define AZD_STR(x) AZD_STR2(x)

bool contains_delete(std::string_view s) {
  for (std::size_t i = 0; i + 6 <= s.size(); ++i) {
    if ((s[i] | 0x20) == 'd' && (s[i + 1] | 0x20) == 'e' && (s[i + 2] | 0x20) == 'l' &&
        (s[i + 3] | 0x20) == 'e' && (s[i + 4] | 0x20) == 't' && (s[i + 5] | 0x20) == 'e')
      return true;
  }
  return false;
}

struct Counts {
  std::uint64_t records = 0, matches = 0, errors = 0;
  bool walk = false;  // --walk: every top-level field, not just operationName
};

void match_operation(od::value op, Counts* c);

// Reads operationName (a string, or {value, localizedValue}) from one record; with --walk,
// on the way through all of its top-level fields.
template <typename T>
void visit(T&& record, Counts* c) {
  ++c->records;
  od::object obj;
  if (record.get_object().get(obj)) {
    ++c->errors;
    return;
  }
  if (c->walk) {
    bool seen = false;
    for (auto field : obj) {
      od::raw_json_string key;
      if (field.key().get(key)) {
        ++c->errors;
        return;
      }
      if (!seen && key.unsafe_is_equal("operationName")) {
        seen = true;
        od::value op;
        if (field.value().get(op)) {
          ++c->errors;
          return;
        }
        match_operation(op, c);
      }
    }
    if (!seen) ++c->errors;
    return;
  }
  od::value op;
  if (obj["operationName"].get(op)) {
    ++c->errors;
    return;
  }
  match_operation(op, c);
}

void match_operation(od::value op, Counts* c) {
  std::string_view name;
  od::json_type t;
  if (op.type().get(t)) {
    ++c->errors;
    return;
  }
  if (t == od::json_type::object) {
    if (op["value"].get_string().get(name)) ++c->errors;
  } else if (op.get_string().get(name)) {
    ++c->errors;
  }
  if (contains_delete(name)) ++c->matches;
}

// Visits every record of a document stream or of an array. A record that cannot be read is
// counted; in an array the parser cannot resync after one, so `stop_on_error` ends the walk.
template <typename Record, typename Records>
void visit_all(Records& records, bool stop_on_error, Counts* c) {
  for (auto item : records) {
    Record r;
    if (std::move(item).get(r)) {
      ++c->errors;
      if (stop_on_error) break;
      continue;
    }
    visit(r, c);
  }
}

bool first_non_ws(const char* p, std::size_t n, char* out) {
  for (std::size_t i = 0; i < n; ++i) {
    if (p[i] != ' ' && p[i] != '\n' && p[i] != '\r' && p[i] != '\t') {
      *out = p[i];
      return true;
    }
  }
  return false;
}

// JSON Lines read() into a reused 1 MiB window, cut after the last newline, each window
// parsed with iterate_many: the way azdetect reads JSON Lines (docs/performance.md), so the
// two can be compared without the cost of first touching a mapping.
bool read_lines_windowed(int fd, od::parser* parser, Counts* c) {
  constexpr std::size_t kWindow = std::size_t{1} << 20;
  std::string buf(2 * kWindow + simdjson::SIMDJSON_PADDING, '\0');
  std::size_t end = 0;
  bool eof = false;
  while (!eof || end > 0) {
    while (!eof && end < kWindow) {
      if (buf.size() < end + kWindow + simdjson::SIMDJSON_PADDING) buf.resize(2 * buf.size());
      const ssize_t n = ::read(fd, buf.data() + end, kWindow);
      if (n < 0) return false;
      if (n == 0) eof = true;
      end += static_cast<std::size_t>(n);
    }
    const void* nl = ::memrchr(buf.data(), '\n', end);
    std::size_t stop = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - buf.data()) + 1 : 0;
    if (eof) stop = end;
    if (stop == 0) continue;  // a line longer than the window: read more
    od::document_stream docs;
    if (parser->iterate_many(buf.data(), stop, od::DEFAULT_BATCH_SIZE).get(docs)) return false;
    visit_all<od::document_reference>(docs, false, c);
    std::memmove(buf.data(), buf.data() + stop, end - stop);
    end -= stop;
  }
  return true;
}

// One core, like azdetect --threads 1: no stage-1 worker thread for iterate_many.
void single_threaded(od::parser* parser) {
#ifdef SIMDJSON_THREADS_ENABLED
  parser->threaded = false;
#else
  (void)parser;
#endif
}

// The line bench/run.sh reads; exit status 1 when a record could not be read.
int print_counts(const Counts& c, std::chrono::steady_clock::time_point start, const char* extra) {
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("kernel=%s stage1=%s records=%llu matches=%llu errors=%llu seconds=%.6f%s\n",
              AZD_STR(SIMDJSON_BUILTIN_IMPLEMENTATION), simdjson::get_active_implementation()->name().c_str(),
              static_cast<unsigned long long>(c.records), static_cast<unsigned long long>(c.matches),
              static_cast<unsigned long long>(c.errors), secs, extra);
  return c.errors == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2 && std::strcmp(argv[1], "--kernel") == 0) {
    std::printf("%s\n", AZD_STR(SIMDJSON_BUILTIN_IMPLEMENTATION));
    return 0;
  }
  bool windowed = false, walk = false;
  int arg = 1;
  for (; arg < argc - 1; ++arg) {
    if (std::strcmp(argv[arg], "--read") == 0) windowed = true;
    else if (std::strcmp(argv[arg], "--walk") == 0) walk = true;
    else break;
  }
  if (arg != argc - 1) {
    std::fputs("usage: bench_reference [--read] [--walk] FILE | --kernel\n", stderr);
    return 2;
  }
  const char* path = argv[argc - 1];
  const int fd = ::open(path, O_RDONLY);
  struct stat st;
  if (fd < 0 || ::fstat(fd, &st) != 0) {
    std::perror(path);
    return 1;
  }
  if (windowed) {
    // JSON Lines only (the caller knows the shape).
    const auto start = std::chrono::steady_clock::now();
    Counts c;
    c.walk = walk;
    od::parser parser;
    single_threaded(&parser);
    if (!read_lines_windowed(fd, &parser, &c)) return 1;
    return print_counts(c, start, walk ? " read=windowed walk=all-fields" : " read=windowed");
  }
  const auto size = static_cast<std::size_t>(st.st_size);
  // Padded mapping, as azdetect does it: an anonymous reservation with the file over it.
  const std::size_t mapped = size + simdjson::SIMDJSON_PADDING;
  void* base = ::mmap(nullptr, mapped, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED ||
      (size > 0 && ::mmap(base, size, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0) == MAP_FAILED)) {
    std::perror("mmap");
    return 1;
  }
  ::close(fd);
  const char* text = static_cast<const char*>(base);

  const auto start = std::chrono::steady_clock::now();
  Counts c;
  c.walk = walk;
  od::parser parser;
  single_threaded(&parser);
  char first = 0;
  first_non_ws(text, size, &first);
  if (first == '[' || first == '{') {
    // Is it one object per line? Then it is JSON Lines even though it starts with '{'.
    const char* nl = static_cast<const char*>(std::memchr(text, '\n', size));
    // (An envelope's first line is `{"records":[`, which does not end with '}'.)
    const char* eol = nl;
    while (eol && eol > text && (eol[-1] == '\r' || eol[-1] == ' ')) --eol;
    const bool lines = first == '{' && eol && eol > text && eol[-1] == '}';
    if (lines) {
      od::document_stream docs;
      if (parser.iterate_many(text, size, od::DEFAULT_BATCH_SIZE).get(docs)) return 1;
      visit_all<od::document_reference>(docs, false, &c);
    } else {
      od::document doc;
      if (parser.iterate(text, size, mapped).get(doc)) return 1;
      od::array records;
      if (first == '[') {
        if (doc.get_array().get(records)) return 1;
      } else {
        od::object env;
        if (doc.get_object().get(env)) return 1;
        if (env["records"].get_array().get(records) && env["value"].get_array().get(records)) return 1;
      }
      visit_all<od::value>(records, true, &c);
    }
  }
  return print_counts(c, start, walk ? " walk=all-fields" : "");
}
