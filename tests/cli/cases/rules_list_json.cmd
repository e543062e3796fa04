# rules list --format json: an array, one entry per rule; none lacks remediation or ATT&CK ids.
"$AZD" rules list --format json | jq -r '.[] | select(.id | test("^AZD-00[1-5]$")) | [.id, .severity, .status, .kind, (.tactics | join(",")), (.techniques | join(",")), (.remediation.triage | length)] | @tsv'
"$AZD" rules list --format json | jq '[.[] | select((.remediation.summary | length) == 0 or (.remediation.triage | length) == 0 or (.tactics | length) == 0 or (.techniques | length) == 0)] | length'
