# Directories: symlink loops are walked once, a dangling symlink and a FIFO are reported
# as not read (a FIFO inside a directory would otherwise block the scan forever), every
# readable file is still scanned, and the exit code says some input could not be read.
d=$(mktemp -d /tmp/azd-hostile.XXXXXX); trap 'rm -rf "$d"' EXIT
tests/hostile/make_inputs.sh "$d" symlink-loop unreadable fifo
timeout 60 "$AZD" scan "$d"/tree "$d"/unreadable "$d"/withfifo --format json >"$d/out.json"; echo "exit $?"
jq -r -f tests/hostile/inputs.jq "$d/out.json"
