# Standard input closed before azdetect starts, and a FIFO named on the command line whose
# writer dies mid-record: both end with a located message (the closed stdin as an input that
# could not be read, the cut record as skipped), never a hang.
d=$(mktemp -d /tmp/azd-hostile.XXXXXX); trap 'rm -rf "$d"' EXIT
"$AZD" scan - --format json <&- >"$d/out.json"; echo "exit $?"
jq -r -f tests/hostile/inputs.jq "$d/out.json"
mkfifo "$d/pipe"
(head -c 300 samples/storage_pt1h.json >"$d/pipe") &
timeout 60 "$AZD" scan "$d/pipe" --format json >"$d/out.json"; echo "exit $?"
wait
jq -r -f tests/hostile/inputs.jq "$d/out.json"
