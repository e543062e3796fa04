# The same export given twice (overlapping exports) gives the same findings, counted once.
f=tests/detections/AZD-008/threshold.json
"$AZD" scan "$f" --format json | jq -c '[.findings[] | {rule: .rule.id, count, evidence_total}] | group_by(.rule) | map({rule: .[0].rule, findings: length, count: (map(.count) | add), evidence: (map(.evidence_total) | add)})'
"$AZD" scan "$f" "$f" --format json | jq -c '[.findings[] | {rule: .rule.id, count, evidence_total}] | group_by(.rule) | map({rule: .[0].rule, findings: length, count: (map(.count) | add), evidence: (map(.evidence_total) | add)})'
