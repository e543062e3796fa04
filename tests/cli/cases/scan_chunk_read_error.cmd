# A chunk of a JSON Lines file that cannot be read (pread fails with EIO at one byte, through
# tests/cli/fail_pread.cc, preloaded) ends the input where that chunk's lines begin: every
# line before it is scanned, nothing after it, the input is reported unreadable with the
# reason at that byte, and the exit status is 3. With any number of threads and any window,
# the events and findings are exactly those of the file's bytes up to that offset read whole.
d=$(mktemp -d /tmp/azd-readerr.XXXXXX); trap 'rm -rf "$d"' EXIT
bin="$(dirname "$AZD")"
"$bin/bench/bench_datagen" --events 2000 --shape jsonl --seed 7 --rate 0.05 --bursts 2 -o "$d/f.json"
# An ASan build must be told that its runtime is not the first library loaded.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
# Evidence names its input: the file in one run, "-" in the other.
keep='{events: .inputs[0].events, records: .inputs[0].records, findings: .findings}
      | walk(if type == "string" and (. == $path or . == "-") then "INPUT" else . end)'
for w in 4096 70000 1048576; do
  for t in 1 2 5; do
    status=0
    AZDETECT_READ_WINDOW=$w AZD_FAIL_PREAD_AT=3000000 LD_PRELOAD="$bin/tests/libazd_fail_pread.so" \
      "$AZD" scan "$d/f.json" --threads "$t" --format json >"$d/out.json" || status=$?
    offset=$(jq '.inputs[0].errors[-1].offset' "$d/out.json")
    head -c "$offset" "$d/f.json" | "$AZD" scan - --format json | jq -S --arg path "$d/f.json" "$keep" >"$d/prefix.json" || true
    jq -S --arg path "$d/f.json" "$keep" "$d/out.json" >"$d/kept.json"
    same=different; cmp -s "$d/prefix.json" "$d/kept.json" && same=same
    echo "window $w, $t threads: exit $status, $(jq -r '.inputs[0] | "readable \(.readable), \(.events) events, \(.errors | length) error: byte \(.errors[-1].offset) line \(.errors[-1].line): \(.errors[-1].reason)"' "$d/out.json"); $same events and findings as the first $offset bytes"
  done
done
