# --format jsonl: a run line, one line per input and finding, a summary line; each has a "type".
# Remediation is shortened to its summary here (rules own the prose).
"$AZD" scan samples/ --format jsonl | jq -c 'if .type == "finding" then .remediation |= {summary} else . end'
