#include "cli/inputs.h"

#include <sched.h>

#include <charconv>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>
#include <new>
#include <thread>

#include "base/pages.h"
#include "base/text.h"
#include "cli/options.h"
#include "input/input.h"

namespace azd::cli {
namespace {

// One input of the run and what has been read of it.
struct Job {
  std::string path;
  std::size_t index = 0;  // position among the input reports
  input::Stream stream;
  report::InputReport report;
  bool done = false;
  // A JSON Lines input shared out block by block: where the next block starts, the blocks
  // handed out but not yet read, and each block's result in input order. `line` is the
  // line after the first `counted` blocks: newlines are counted outside the lock, so a
  // block's first line is known once the block before it has been counted.
  bool exhausted = false;
  std::size_t start = 0;
  std::uint64_t offset = 0, line = 1;
  std::size_t counted = 0;
  std::size_t outstanding = 0;
  std::vector<record::ReadResult> parts;
  // After its first block, a file that allows it is read in chunks at known positions
  // (Stream::read_at), outside the lock and side by side: `next` is the next chunk's file
  // position, `end` the file's size, `carry` the line the last counted block left
  // unfinished (only the thread whose block is next in the count touches it).
  bool chunked = false, failed = false;
  std::uint64_t next = 0, end = 0;
  std::string carry;
};

// Heap memory each input keeps until the reading ends (measured: 2,000 files, ~1 fault each).
constexpr std::size_t kHeapPerInput = std::size_t{4} << 10;

// Heap memory each job takes when the run starts: the job, the pointer to it, and its
// path's copy (a folder's paths pass the string's inline 15 bytes), each block with
// malloc's header.
constexpr std::size_t kJobHeap = sizeof(Job) + sizeof(std::unique_ptr<Job>) + 64 + 2 * 16;

// Room before a chunk for the line the chunk before left unfinished (longer lines move it).
constexpr std::size_t kCarryRoom = std::size_t{64} << 10;

void fill_report(report::InputReport* rep, record::ReadResult&& result, const input::Stream& stream) {
  rep->readable = !result.fatal;
  rep->error_count = result.issue_count;
  rep->errors = std::move(result.issues);
  // An input refused whole (a gzip bomb, a read error) has no shape or encoding to speak of.
  if (result.fatal && result.shape == record::Shape::unknown) return;
  rep->encoding = std::string(input::encoding_name(stream.encoding()));
  rep->gzip = stream.gzip();
  rep->bytes = stream.source_bytes();
  rep->shape = std::string(record::shape_name(result.shape));
  rep->detail = result.detail;
  rep->activity_log = result.activity_log;
  rep->records = result.records;
  rep->events = result.events;
  rep->skipped = result.skipped;
  if (!rep->activity_log && rep->detail.empty() && !rep->errors.empty()) rep->detail = rep->errors.front().reason;
}

report::InputReport unreadable(const std::string& path, std::string reason) {
  report::InputReport rep;
  rep.path = path;
  rep.readable = false;
  rep.error_count = 1;
  rep.errors.push_back({0, 0, std::move(reason)});
  return rep;
}

// What one reading thread keeps from block to block.
struct Worker {
  explicit Worker(EventSink& s) : sink(s) { reader.set_lazy(sink.lazy); }
  // Names the input the next events come from, when it changes.
  void switch_to(const Job* job) {
    if (current != job && sink.begin) sink.begin(job->path, job->index);
    current = job;
  }
  EventSink& sink;
  record::Reader reader;
  std::string storage;                  // the block being read (swapped with the stream's buffer)
  std::string chunk, repaired;          // a chunk read at its position, and its repair if needed
  std::vector<std::uint32_t> newlines;  // where the block's lines end
  const Job* current = nullptr;
};

// Shares the inputs out between reading threads. Everything here is guarded by `mutex`;
// the reading itself happens outside it.
class Scheduler {
 public:
  Scheduler(std::vector<std::unique_ptr<Job>> jobs, const input::OpenOptions& options,
            const InputReportCallback& on_input, report::Progress* progress)
      : jobs_(std::move(jobs)), options_(options), on_input_(on_input), progress_(progress) {}

  // One reading thread: takes the next block of the JSON Lines input it opened, else opens
  // the next input, else helps with the blocks of another thread's input, until none is
  // left. With many files each thread mostly reads its own (no waiting on each other at
  // every block or file boundary); one large file still keeps every thread busy.
  void work(EventSink& sink) {
    Worker w(sink);
    Job* own = nullptr;  // the JSON Lines input this thread opened last
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      Job* block_of = own && !own->exhausted ? own : next_ >= jobs_.size() ? sharing() : nullptr;
      if (Job* job = block_of; job && job->chunked) {
        read_chunk(job, lock, w);
        continue;
      }
      if (Job* job = block_of) {
        // A stream that cannot be read at positions (gzip, a pipe) is read in order, under
        // the lock: the block read is the block counted next.
        Taken taken;
        taken.ok = job->stream.take_lines(&w.storage, &taken.block, &taken.err, &w.newlines);
        use_block(job, taken, lock, w);
        continue;
      }
      if (next_ >= jobs_.size()) {
        // Nothing to take now; but an input another thread is opening may yet be shared.
        if (opening_ == 0) break;
        opened_.wait(lock);
        continue;
      }
      Job* job = jobs_[next_++].get();
      ++opening_;
      lock.unlock();
      std::string err;
      const bool readable = job->stream.open(job->path, options_, &err);
      const bool shared = readable && job->stream.line_readable() &&
                          record::lines_streamable(job->stream.head(), &job->start);
      // The first block is read before the input is shared, outside the lock: no other
      // thread can reach this stream yet. (Held, the lock made the other threads wait for
      // this read at every file of a folder: 7-11 ms per thread on 40 files.)
      Taken first;
      if (shared) first.ok = job->stream.take_lines(&w.storage, &first.block, &first.err, &w.newlines);
      lock.lock();
      --opening_;
      opened_.notify_all();
      if (!readable) {
        job->report = unreadable(job->path, std::move(err));
        complete(job);
        continue;
      }
      if (shared) {
        job->report.path = job->path;
        sharing_.push_back(job);
        own = job;
        use_block(job, first, lock, w);
        continue;
      }
      // Any other shape is read whole by this thread.
      lock.unlock();
      w.switch_to(job);
      record::ReadResult result = w.reader.read_stream(job->stream, sink.on_event);
      job->report.path = job->path;
      fill_report(&job->report, std::move(result), job->stream);
      job->stream = input::Stream();  // unmap or free the input now
      lock.lock();
      complete(job);
    }
    lock.unlock();  // what the sink does at the end must not hold up the other threads
    if (sink.end) sink.end();
  }

 private:
  // How many newlines a block from take_lines() or join_chunk() has: the ones they listed,
  // or, for a block of 4 GiB or more (offsets past 32 bits: none listed), counted.
  static std::uint64_t newlines_of(std::string_view block, std::vector<std::uint32_t>* listed) {
    return block.size() <= UINT32_MAX ? listed->size() : base::find_newlines(block, listed);
  }

  // What one take_lines() on an input's stream gave.
  struct Taken {
    bool ok = false;
    std::string_view block;  // empty at the end of the input
    std::string err;         // why not, when !ok
  };

  // Makes the block a stream gave (entered and left under the lock) the input's next part:
  // its newlines (found by the stream) give the next block's first line, then it is
  // parsed. After the first block, a file that can be read at positions goes on in chunks
  // (read_chunk()).
  void use_block(Job* job, const Taken& taken, std::unique_lock<std::mutex>& lock, Worker& w) {
    if (!taken.ok) {
      job->exhausted = true;
      ++job->outstanding;  // the input is not finished until the failure is in its parts
      counted_.wait(lock, [&] { return job->counted == job->parts.size(); });
      job->parts.push_back(record::stream_failure(job->offset, job->line, taken.err));
      --job->outstanding;
      finish_if_read(job);
      return;
    }
    const std::string_view block = taken.block;
    if (block.empty()) {
      job->exhausted = true;
      finish_if_read(job);
      return;
    }
    const std::size_t index = job->parts.size();
    job->parts.emplace_back();
    const std::uint64_t offset = job->offset;
    const std::size_t start = job->start;
    job->start = 0;
    job->offset += block.size();
    ++job->outstanding;
    if (job->stream.chunkable()) {
      // The rest goes in chunks; the stream's own reads end here.
      job->stream.begin_chunks(&job->carry, &job->next, &job->end);
      job->chunked = true;
    }
    // The stream found the block's newlines while it checked it as UTF-8 (w.newlines); the
    // reader cuts the block's records at them.
    const std::uint64_t newline_count = newlines_of(block, &w.newlines);
    counted_.wait(lock, [&] { return job->counted == index; });
    const std::uint64_t line = job->line;
    job->line += newline_count;
    ++job->counted;
    counted_.notify_all();
    parse_block(job, index, block, offset, line, start, lock, w);
  }

  // One chunk of a chunked input: claimed under the lock, read outside it, joined to the
  // line the block before left unfinished when its turn in the count comes (the count
  // gives its offset and first line), then parsed outside the lock. A chunk that cannot be
  // read ends the input there: the blocks before it stay, the chunks after are dropped.
  void read_chunk(Job* job, std::unique_lock<std::mutex>& lock, Worker& w) {
    const std::size_t index = job->parts.size();
    job->parts.emplace_back();
    const std::uint64_t pos = job->next;
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(options_.window, job->end - pos));
    job->next += n;
    const bool last = job->next >= job->end;
    if (last) job->exhausted = true;
    ++job->outstanding;
    lock.unlock();
    const std::size_t room = kCarryRoom + n + input::kPadding;
    if (w.chunk.size() < room) {
      base::reserve_prefaulted(&w.chunk, room);
      w.chunk.resize(room);
    }
    std::string err;
    const bool ok = job->stream.read_at(pos, w.chunk.data() + kCarryRoom, n, &err);
    lock.lock();
    counted_.wait(lock, [&] { return job->counted == index; });
    if (job->failed || !ok) {
      if (!job->failed) job->parts[index] = record::stream_failure(job->offset, job->line, err);
      job->failed = job->exhausted = true;
      ++job->counted;
      counted_.notify_all();
      --job->outstanding;
      finish_if_read(job);
      return;
    }
    lock.unlock();
    // This block is next in the count: the carry is this thread's until it is counted.
    std::string_view block;
    std::uint64_t invalid = 0;
    input::join_chunk(&w.chunk, kCarryRoom, n, last, &job->carry, &w.repaired, &block, &invalid, &w.newlines);
    const std::uint64_t newline_count = newlines_of(block, &w.newlines);
    lock.lock();
    const std::uint64_t offset = job->offset, line = job->line;
    job->offset += block.size();
    job->line += newline_count;
    job->stream.note_chunk(n, invalid);
    ++job->counted;
    counted_.notify_all();
    parse_block(job, index, block, offset, line, 0, lock, w);
  }

  // The end of every block of a shared input, entered and left under the lock: the block
  // (counted, its newlines in w.newlines) is parsed outside the lock, and its result is
  // stored as part `index` of the input.
  void parse_block(Job* job, std::size_t index, std::string_view block, std::uint64_t offset, std::uint64_t line,
                   std::size_t start, std::unique_lock<std::mutex>& lock, Worker& w) {
    lock.unlock();
    w.switch_to(job);
    record::ReadResult part = w.reader.read_lines_block(block, offset, line, start, w.sink.on_event, &w.newlines);
    lock.lock();
    job->parts[index] = std::move(part);
    --job->outstanding;
    block_bytes_ += block.size();
    if (progress_) progress_->update(done_bytes_ + block_bytes_, job->path);
    finish_if_read(job);
  }

  Job* sharing() {
    for (Job* job : sharing_) {
      if (!job->exhausted) return job;
    }
    return nullptr;
  }

  void finish_if_read(Job* job) {
    if (!job->exhausted || job->outstanding > 0 || job->done) return;
    std::erase(sharing_, job);
    fill_report(&job->report, record::merge_results(std::move(job->parts)), job->stream);
    block_bytes_ -= std::min(block_bytes_, job->offset);
    job->stream = input::Stream();
    complete(job);
  }

  // Marks a job read and hands every finished report, in input order, to on_input.
  void complete(Job* job) {
    job->done = true;
    done_bytes_ += job->report.bytes;
    while (emitted_ < jobs_.size() && jobs_[emitted_]->done) {
      if (progress_) progress_->clear();  // so messages about the input start on a clean line
      on_input_(std::move(jobs_[emitted_]->report));
      ++emitted_;
    }
    if (progress_) progress_->update(done_bytes_ + block_bytes_, job->path);
  }

  std::mutex mutex_;
  std::condition_variable opened_;  // signalled when a thread has finished opening an input
  std::condition_variable counted_; // signalled when a block's newlines have been counted
  std::size_t opening_ = 0;         // inputs being opened (they may become shared)
  std::vector<std::unique_ptr<Job>> jobs_;
  std::vector<Job*> sharing_;
  std::size_t next_ = 0, emitted_ = 0;
  std::uint64_t done_bytes_ = 0, block_bytes_ = 0;
  const input::OpenOptions& options_;
  const InputReportCallback& on_input_;
  report::Progress* progress_;
};

}  // namespace

unsigned default_threads() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) {
    const int n = CPU_COUNT(&set);
    if (n > 0) return static_cast<unsigned>(n);
  }
  const unsigned n = std::thread::hardware_concurrency();
  return n > 0 ? n : 1;
}

void read_inputs(const std::vector<std::string>& paths, const input::OpenOptions& open_options,
                 std::vector<EventSink>& sinks, const InputReportCallback& on_input, report::Progress* progress) {
  std::vector<input::PathError> path_errors;
  const std::vector<std::string> files = input::expand_paths(paths, &path_errors);
  for (const input::PathError& e : path_errors) on_input(unreadable(e.path, e.reason));
  if (progress) {
    std::uint64_t total = 0;
    for (const std::string& f : files) {
      std::error_code ec;
      const auto size = f == "-" ? 0 : std::filesystem::file_size(f, ec);
      total += ec ? 0 : size;
    }
    progress->start(total);
  }
  // A folder's jobs are mapped in with one call, not a fault per page on the main thread
  // before any reading starts: 2,000 files, 2.4 -> 0.9 ms.
  base::reserve_heap(files.size() * kJobHeap);
  std::vector<std::unique_ptr<Job>> jobs;
  jobs.reserve(files.size());
  for (const std::string& f : files) {
    jobs.push_back(std::make_unique<Job>());
    jobs.back()->path = f;
    jobs.back()->index = path_errors.size() + jobs.size() - 1;
  }
  // AZDETECT_READ_WINDOW (bytes) shrinks the window and the chunks, so tests can make a
  // small file take every path a large one takes (docs/performance.md).
  input::OpenOptions options = open_options;
  if (const char* w = std::getenv("AZDETECT_READ_WINDOW")) {
    std::size_t bytes = 0;
    const std::string_view text(w);
    if (std::from_chars(text.data(), text.data() + text.size(), bytes).ec == std::errc() && bytes >= 64) options.window = bytes;
  }
  Scheduler scheduler(std::move(jobs), options, on_input, progress);
  // What each input leaves behind until the end of the reading (its report, its duplicate
  // keys, map nodes: about a page per file of a folder of hourly exports) is mapped in
  // ahead, by each thread for its share, instead of a page fault at a time.
  const std::size_t heap_share = files.size() * kHeapPerInput / std::max<std::size_t>(sinks.size(), 1);
  // Running out of memory on any reading thread ends the run the way main() ends it on the
  // main thread (a message, exit 2): unwinding one thread alone would leave the others
  // waiting for its blocks, or destroy threads that were never joined.
  auto work = [&scheduler, heap_share](EventSink& sink) {
    try {
      base::reserve_heap(heap_share);
      scheduler.work(sink);
    } catch (const std::bad_alloc&) {
      std::fputs("azdetect: out of memory\n", stderr);
      std::_Exit(kExitError);
    }
  };
  // The calling thread is the first reader; the others join it.
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < sinks.size(); ++i) {
    threads.emplace_back([&work, &sink = sinks[i]] { work(sink); });
  }
  if (!sinks.empty()) work(sinks[0]);
  for (std::thread& t : threads) t.join();
  if (progress) progress->finish();
}

void report_unreadable(const report::InputReport& in) {
  if (in.readable) return;
  std::fprintf(stderr, "azdetect: %s: not read: %s\n", base::escape_for_terminal(in.path).c_str(),
               in.errors.empty() ? "" : base::escape_for_terminal(in.errors.front().reason).c_str());
}

}  // namespace azd::cli
