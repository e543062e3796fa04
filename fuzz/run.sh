#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan+UBSan, coverage) into build-fuzz/ and runs
# one of them for a given time:
#
#   fuzz/run.sh ingest 600            # fuzz the ingest path for ten minutes
#   fuzz/run.sh rules 60 -jobs=2      # extra arguments go to libFuzzer
#   fuzz/run.sh all 15                # each target in turn (what CI does)
#
# New interesting inputs go to build-fuzz/corpus/TARGET (not committed); the committed seeds
# in fuzz/corpus/TARGET are read, never written. A crash leaves its input in
# build-fuzz/artifacts/TARGET/: fix the bug, then copy that file into fuzz/regressions/TARGET/
# so every test build replays it. Exit status 77 means clang is not installed (skipped).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 2 ]; then
  echo "usage: fuzz/run.sh ingest|rules|all SECONDS [libFuzzer options...]" >&2
  exit 2
fi
target=$1
seconds=$2
shift 2

cxx=""
for c in clang++-14 clang++; do
  if command -v "$c" >/dev/null 2>&1; then cxx=$c; break; fi
done
if [ -z "$cxx" ]; then
  echo "SKIPPED: fuzzing needs clang++ (apt-get install clang libclang-rt-14-dev)" >&2
  exit 77
fi

build=${AZD_FUZZ_BUILD:-build-fuzz}
cmake -S . -B "$build" -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DAZDETECT_FUZZ=ON -DAZDETECT_BUILD_TESTS=OFF >/dev/null
targets=("$target")
[ "$target" = all ] && targets=(ingest rules)
for t in "${targets[@]}"; do
  cmake --build "$build" -j2 --target "fuzz_$t" >/dev/null
done

for t in "${targets[@]}"; do
  mkdir -p "$build/corpus/$t" "$build/artifacts/$t"
  echo "== fuzz $t for ${seconds}s"
  # Inputs that once crashed come first: a regression fails fast, before any fuzzing.
  if compgen -G "fuzz/regressions/$t/*" >/dev/null; then
    "$build/fuzz/fuzz_$t" -runs=1 fuzz/regressions/"$t"/* 2>&1 | tail -n 1
  fi
  # rss_limit: one input must never need more than this (gzip bombs stop at 1 MiB in the
  # target); timeout: one input must never take this long (a hang is a bug too). The
  # timeout is wall-clock time, so it is generous: on a loaded machine a starved but healthy
  # process must not be reported as hung (seen at 10 s under load 20 on 2 cores).
  log="$build/fuzz-$t.log"
  status=0
  ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1:malloc_context_size=10 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$build/fuzz/fuzz_$t" "$build/corpus/$t" "fuzz/corpus/$t" \
    -dict="fuzz/$t.dict" -max_total_time="$seconds" -max_len=8192 -timeout=60 -rss_limit_mb=2048 \
    -artifact_prefix="$build/artifacts/$t/" -print_final_stats=1 "$@" >"$log" 2>&1 || status=$?
  grep -E '^(#[0-9]+ +(DONE|INITED)|stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)|==[0-9]+==ERROR|SUMMARY|.*Test unit written|.*ALARM|.*out-of-memory)' "$log" || true
  if [ "$status" != 0 ]; then
    echo "FAIL: fuzz_$t exited with $status (log: $log; input in $build/artifacts/$t/)" >&2
    exit 1
  fi
done
