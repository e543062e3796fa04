# Damaged gzip: a corrupt or truncated stream is refused with the reason (exit 2), and a
# bomb stops at --max-decompressed with a message saying so instead of filling memory.
d=$(mktemp -d /tmp/azd-hostile.XXXXXX); trap 'rm -rf "$d"' EXIT
tests/hostile/make_inputs.sh "$d" gzip-corrupt gzip-truncated gzip-bomb
"$AZD" scan "$d"/corrupt.json.gz "$d"/truncated.json.gz "$d"/bomb.json.gz --max-decompressed 1M --format json >"$d/out.json"; echo "exit $?"
jq -r -f tests/hostile/inputs.jq "$d/out.json"
