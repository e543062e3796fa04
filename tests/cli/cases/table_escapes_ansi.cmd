# Log bytes never reach the terminal as control characters: ESC sequences in the caller and
# resource id are printed as visible \x1b escapes, and no ESC byte is written at all.
"$AZD" scan tests/data/hostile_fields.json --format table --color never > "${TMPDIR:-/tmp}/azd_ansi.$$" 2>&1
cat "${TMPDIR:-/tmp}/azd_ansi.$$"
echo "raw ESC bytes: $(tr -cd '\033\007' < "${TMPDIR:-/tmp}/azd_ansi.$$" | wc -c)"
rm -f "${TMPDIR:-/tmp}/azd_ansi.$$"
