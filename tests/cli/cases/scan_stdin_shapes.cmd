# Standard input is sniffed like a file: a gzip batch, a CSV export and a UTF-16 dump.
# (The exit status is not part of this contract: which rules fire on these events is the catalog's business.)
("$AZD" scan - --format json < tests/data/ingest/mixed/eventhub-batch.json.gz || true) | jq -c '.inputs[0] | [.path, .shape, .gzip, .events]'
("$AZD" scan - --format json < tests/data/ingest/mixed/loganalytics-export.csv || true) | jq -c '.inputs[0] | [.path, .shape, .encoding, .events]'
("$AZD" scan - --format json < tests/data/ingest/mixed/cli-windows-powershell.json || true) | jq -c '.inputs[0] | [.path, .shape, .encoding, .events]'
