# 100 000-deep nesting: no stack overflow, the deep record is skipped with a reason, the
# record after it is still read.
d=$(mktemp -d /tmp/azd-hostile.XXXXXX); trap 'rm -rf "$d"' EXIT
tests/hostile/make_inputs.sh "$d" deep-arrays deep-objects
"$AZD" scan "$d"/deep-arrays.json "$d"/deep-objects.json --format json >"$d/out.json"; echo "exit $?"
jq -r -f tests/hostile/inputs.jq "$d/out.json"
