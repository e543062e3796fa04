# Terminal control sequences in the caller, the resource and the status message (ESC[2J,
# an OSC 8 hyperlink, the 8-bit CSI U+009B, BEL, backspace, CR, a right-to-left override)
# are shown escaped in the table: the first line counts output lines that still hold a
# control byte or a bidi override, and must be 0.
d=$(mktemp -d /tmp/azd-hostile.XXXXXX); trap 'rm -rf "$d"' EXIT
tests/hostile/make_inputs.sh "$d" terminal
"$AZD" scan "$d"/terminal.json --format table 2>&1 | sed 's/ in [0-9.]*s$//' | LC_ALL=C grep -c $'[\x01-\x08\x0b-\x1f\x7f]\|\xc2[\x80-\x9f]\|\xe2\x80[\x8e\x8f\xaa-\xae]\|\xe2\x81[\xa6-\xa9]' || true
"$AZD" scan "$d"/terminal.json --format table 2>&1 | sed 's/ in [0-9.]*s$//'
