# A gzip of JSON Lines cut part-way: the lines inflated before the cut are scanned (they are
# streamed, never held whole), the cut is reported with its line, and the exit code is 3
# because the answer is incomplete.
d=$(mktemp -d /tmp/azd-hostile.XXXXXX); trap 'rm -rf "$d"' EXIT
tests/hostile/make_inputs.sh "$d" gzip-truncated-lines
"$AZD" scan "$d"/truncated-lines.json.gz --format json >"$d/out.json"; echo "exit $?"
jq -r -f tests/hostile/inputs.jq "$d/out.json"
