#!/usr/bin/env bash
# Runs one CLI contract test: tests/cli/cases/NAME.cmd is a bash snippet that runs "$AZD"
# (the built binary) from the repository root. Its stdout must equal NAME.stdout and its
# exit status must equal the number in NAME.exit (0 when there is no such file).
# A case whose first line is "# requires: shared" is skipped (exit 77) when ../shared is absent.
# AZD_UPDATE_EXPECTED=1 rewrites the expected files from the current output instead.
set -u
AZD="$1"
case_file="$2"
base="${case_file%.cmd}"
export AZD
export NO_COLOR=1 COLUMNS=120 TZ=UTC LC_ALL=C
# Fixes run.started and zeroes elapsed times, so whole outputs can be compared (docs/cli.md).
export SOURCE_DATE_EPOCH=1700000000

if head -n1 "$case_file" | grep -q '^# requires: shared'; then
  if [ ! -d ../shared/data/activity-logs ]; then
    echo "SKIPPED: ../shared/data/activity-logs is not present beside this checkout"
    exit 77
  fi
fi

actual=$(mktemp)
trap 'rm -f "$actual"' EXIT
bash -o pipefail "$case_file" >"$actual" 2>/dev/null
status=$?

if [ "${AZD_UPDATE_EXPECTED:-0}" = 1 ]; then
  cp "$actual" "$base.stdout"
  echo "$status" >"$base.exit"
  echo "updated $base.stdout and $base.exit"
  exit 0
fi

expected_status=0
[ -f "$base.exit" ] && expected_status=$(cat "$base.exit")
ok=1
if ! diff -u "$base.stdout" "$actual"; then
  echo "FAIL: stdout differs from $base.stdout"
  ok=0
fi
if [ "$status" != "$expected_status" ]; then
  echo "FAIL: exit status $status, expected $expected_status"
  ok=0
fi
[ $ok = 1 ] && echo "ok: $(basename "$base")"
[ $ok = 1 ]
