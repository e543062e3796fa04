# Per-input accounting with overlapping exports: for every input, and for the summary,
# records == events + skipped + duplicates (ACCOUNTING-BROKEN otherwise). Of all copies of an
# event the one in the earlier input (command-line order), then at the lower offset, is
# kept; every other copy is a duplicate of its own input. Naming the files the other way
# round moves the duplicates to the other file and leaves the totals and findings alone.
d=$(mktemp -d /tmp/azd-acct.XXXXXX); trap 'rm -rf "$d"' EXIT
s=samples/storage_pt1h.json
sed -n 1,10p "$s" >"$d/first.json"              # records 1-10
{ sed -n 6,15p "$s"; sed -n 14,15p "$s"; echo '{"time": "2024-05-14T10:00:00Z",'; } >"$d/second.json"  # 6-15, 14-15 again, a damaged one
accounting='(.inputs[] | "\(.path | sub(".*/"; "")): records=\(.records) events=\(.events) skipped=\(.skipped) duplicates=\(.duplicates) out_of_range=\(.out_of_range)"
    + (if .records == .events + .skipped + .duplicates then "" else " ACCOUNTING-BROKEN" end)),
  (.summary | "summary: records=\(.records) events=\(.events) skipped=\(.skipped) duplicates_dropped=\(.duplicates_dropped) out_of_range=\(.out_of_range)"
    + (if .records == .events + .skipped + .duplicates_dropped then "" else " ACCOUNTING-BROKEN" end)),
  "findings: \([.findings[] | .rule.id + "/" + .id] | sort | join(" "))"'
"$AZD" scan "$d/first.json" "$d/second.json" --format json | jq -r "$accounting"
echo "-- the other way round:"
"$AZD" scan "$d/second.json" "$d/first.json" --format json | jq -r "$accounting"
echo "-- jsonl input lines carry the same counts:"
"$AZD" scan "$d/first.json" "$d/second.json" --format jsonl |
  jq -r 'select(.type == "input") | "\(.path | sub(".*/"; "")): \(.records) = \(.events) + \(.skipped) + \(.duplicates)"'
echo "-- -v lines and the table summary (stderr):"
"$AZD" scan "$d/first.json" "$d/second.json" --format table -v 2>&1 >/dev/null | grep 'records =' | sed "s|$d/||; s|, 20[0-9T:.Z -]*\$||"
echo "-- with --since: events outside the range are part of events and never duplicates:"
"$AZD" scan "$d/first.json" "$d/second.json" --since 2024-05-14T09:00:00Z --format json | jq -r "$accounting"
"$AZD" scan "$d/first.json" "$d/second.json" --since 2024-05-14T09:00:00Z --format table -v 2>&1 >/dev/null | grep 'records =' | sed "s|$d/||; s|, 20[0-9T:.Z -]*\$||"
