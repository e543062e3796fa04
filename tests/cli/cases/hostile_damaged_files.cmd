# Hostile inputs, one file each: every file is read to its end, each damaged record is
# skipped with its line and reason, the rest is kept, and records == events + skipped
# (inputs.jq prints ACCOUNTING-BROKEN otherwise). Every input is readable, so the exit code
# is that of the findings.
d=$(mktemp -d /tmp/azd-hostile.XXXXXX); trap 'rm -rf "$d"' EXIT
tests/hostile/make_inputs.sh "$d" empty whitespace truncated gzip-empty invalid-utf8 odd-utf16 nul-bytes numbers duplicate-keys not-objects
"$AZD" scan "$d"/*.json "$d"/*.gz --format json >"$d/out.json"; echo "exit $?"
jq -r -f tests/hostile/inputs.jq "$d/out.json"
