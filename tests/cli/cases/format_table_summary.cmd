# The table's end-of-run summary goes to stderr; -q keeps only findings and errors.
"$AZD" scan samples/ --format table --color never 2>&1 >/dev/null
echo "-- with -q:"
"$AZD" scan samples/ --format table --color never -q 2>&1 >/dev/null
