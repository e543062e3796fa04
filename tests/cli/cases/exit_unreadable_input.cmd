# An unreadable input gives exit 3 even when other inputs have findings: the result is incomplete.
"$AZD" scan samples/ does/not/exist.json --format jsonl | jq -c 'select(.type == "error" or .type == "summary") | if .type == "error" then [.type, .path, .fatal, .reason] else [.type, .findings, .unreadable_files] end'
