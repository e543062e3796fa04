#!/usr/bin/env bash
# Quick start, command 2: install what is missing, build, and run the whole test suite:
# unit and CLI tests in a Release build, then again under AddressSanitizer + UBSan.
# AZDETECT_SKIP_SANITIZE=1 skips the second pass (for quick local runs only; CI runs both).
# Then each fuzz target runs briefly (fuzz/run.sh; skipped with a message without clang,
# or with AZDETECT_SKIP_FUZZ=1).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
jobs=$(nproc)

echo "== Release build and tests"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DAZDETECT_WERROR=ON >/dev/null
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"

if [ "${AZDETECT_SKIP_SANITIZE:-0}" != 1 ]; then
  echo "== ASan+UBSan build and tests"
  cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DAZDETECT_SANITIZE=ON -DAZDETECT_WERROR=ON >/dev/null
  cmake --build build-asan -j"$jobs"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan --output-on-failure -j"$jobs"
fi

if [ "${AZDETECT_SKIP_SANITIZE:-0}" != 1 ] && [ "${AZDETECT_SKIP_FUZZ:-0}" != 1 ]; then
  echo "== Fuzz smoke: each target for 15 s from a fixed seed"
  status=0
  fuzz/run.sh all 15 -seed=1 || status=$?
  if [ "$status" = 77 ]; then
    echo "fuzz smoke SKIPPED: clang++ is not installed (apt-get install clang libclang-rt-14-dev)"
  elif [ "$status" != 0 ]; then
    exit "$status"
  fi
fi
