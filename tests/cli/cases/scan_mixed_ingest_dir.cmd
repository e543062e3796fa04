# One directory mixing JSON Lines in the insights-activity-logs layout, a UTF-16LE CLI dump, a
# Log Analytics CSV, a gzip Event Hub batch and a README: each identified from content.
# (The exit status is not part of this contract: which rules fire on these events is the catalog's business.)
("$AZD" scan tests/data/ingest/mixed --format json || true) | jq -r '.inputs[] | [(.path | sub(".*/mixed/"; "")), .shape, .encoding, .gzip, .records, .events, .skipped, .activity_log, .detail] | @tsv'
("$AZD" scan tests/data/ingest/mixed --format json || true) | jq -c '.summary | {files, records, events, skipped}'
