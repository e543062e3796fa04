# --format json: the whole document, including run and summary (SOURCE_DATE_EPOCH fixes the
# times). Remediation prose is left out here (rules own it); everything else is compared.
"$AZD" scan samples/ --format json | jq '.findings[].remediation |= {summary, steps: ([.triage, .containment, .recovery, .prevention] | map(length))}'
