# The storage-account JSON Lines sample as a table.
"$AZD" scan samples/storage_pt1h.json --format table --color never
