# Directories: symlink loops are walked once, a dangling symlink and a FIFO are reported
# as not read (a FIFO inside a directory would otherwise block the scan forever), every
# readable file is still scanned, and the exit code says some input could not be read.
# Tests run as root, so chmod 000 cannot make a file unreadable: /proc/self/mem opens but
# fails on read(), for root too.
d=$(mktemp -d /tmp/azd-hostile.XXXXXX); trap 'rm -rf "$d"' EXIT
tests/hostile/make_inputs.sh "$d" symlink-loop unreadable fifo
timeout 60 "$AZD" scan "$d"/tree "$d"/unreadable "$d"/withfifo /proc/self/mem --format json >"$d/out.json"; echo "exit $?"
jq -r -f tests/hostile/inputs.jq "$d/out.json"
# The table summary (stderr) names every input that was not read, too.
timeout 60 "$AZD" scan "$d"/tree "$d"/unreadable "$d"/withfifo /proc/self/mem --format table 2>&1 >/dev/null | grep 'not read' | sed "s|$d/||"
