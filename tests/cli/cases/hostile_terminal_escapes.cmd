# Terminal control sequences in the caller, the resource and the status message (ESC[2J,
# an OSC 8 hyperlink, the 8-bit CSI U+009B, BEL, backspace, CR) are shown escaped in the
# table: the output must hold no control byte at all (cat -v would show ^[ or M-^[).
d=$(mktemp -d /tmp/azd-hostile.XXXXXX); trap 'rm -rf "$d"' EXIT
tests/hostile/make_inputs.sh "$d" terminal
"$AZD" scan "$d"/terminal.json --format table 2>&1 | sed 's/ in [0-9.]*s$//' | LC_ALL=C grep -c $'[\x01-\x08\x0b-\x1f\x7f]\|\xc2[\x80-\x9f]' || true
"$AZD" scan "$d"/terminal.json --format table 2>&1 | sed 's/ in [0-9.]*s$//'
