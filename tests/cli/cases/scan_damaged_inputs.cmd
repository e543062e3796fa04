# Damaged inputs: a malformed line, a record that is not an object and a truncated last record in
# JSON Lines; a short row and a row cut inside a quoted cell in CSV. Each is reported with its line
# and reason, the rest is read, and records = events + skipped.
("$AZD" scan tests/data/ingest/damaged --format json || true) | jq -c '.inputs[] | {path: (.path | sub(".*/damaged/"; "")), records, events, skipped, adds_up: (.records == .events + .skipped), errors: [.errors[] | [.line, .reason]]}'
