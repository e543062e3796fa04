// bench_timed: runs a command and writes its wall time, CPU time and peak RSS, for run.sh.
//
//   bench_timed FIGURES OUT COMMAND [ARG...]
//
// COMMAND's standard output goes to OUT and its standard error is dropped; FIGURES gets one
// line, "wall_s user_s sys_s maxrss_kb", and the exit status is COMMAND's (127 when it
// cannot be run, 128 + N when signal N ended it). /usr/bin/time did this job, but prints CPU
// seconds in 10 ms steps, which made the ratios of 100 MB runs (0.02-0.05 s of CPU) read
// anything from 0.25 to 1.2. wait4() gives the child's own rusage to the microsecond; a
// wrapper in a scripting language would not do, since the fork's pre-exec copy of the
// interpreter (~10 MB) would count in the child's peak RSS.
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>

namespace {

double now() {
  timespec t{};
  clock_gettime(CLOCK_MONOTONIC, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

double seconds(const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; }

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: bench_timed FIGURES OUT COMMAND [ARG...]\n");
    return 2;
  }
  const int out = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (out < 0) {
    std::fprintf(stderr, "bench_timed: %s: %s\n", argv[2], std::strerror(errno));
    return 2;
  }
  const int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (null < 0) {
    std::fprintf(stderr, "bench_timed: /dev/null: %s\n", std::strerror(errno));
    return 2;
  }
  const double start = now();
  const pid_t pid = fork();
  if (pid < 0) {
    std::fprintf(stderr, "bench_timed: fork: %s\n", std::strerror(errno));
    return 2;
  }
  if (pid == 0) {
    dup2(out, STDOUT_FILENO);
    dup2(null, STDERR_FILENO);
    execvp(argv[3], argv + 3);
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  while (wait4(pid, &status, 0, &usage) < 0) {
    if (errno != EINTR) {
      std::fprintf(stderr, "bench_timed: wait4: %s\n", std::strerror(errno));
      return 2;
    }
  }
  const double wall = now() - start;
  FILE* figures = std::fopen(argv[1], "w");
  if (!figures) {
    std::fprintf(stderr, "bench_timed: %s: %s\n", argv[1], std::strerror(errno));
    return 2;
  }
  std::fprintf(figures, "%.6f %.6f %.6f %ld\n", wall, seconds(usage.ru_utime), seconds(usage.ru_stime), usage.ru_maxrss);
  std::fclose(figures);
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 1;
}
