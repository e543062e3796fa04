# Cells a spreadsheet would evaluate (= + - @) get an apostrophe; control bytes become visible escapes.
"$AZD" scan tests/data/hostile_fields.json --format csv | tr '\r' '~'
