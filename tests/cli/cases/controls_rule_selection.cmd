# --rule, --exclude-rule, --tag and --min-severity choose the rules; globs and ATT&CK ids work.
f=tests/detections/AZD-008/fires.json
ids() { "$AZD" scan "$f" --format json "$@" | jq -c '[.findings[] | .rule.id] | unique'; }
ids
ids --rule AZD-008
ids --rule 'azd-00?' --exclude-rule AZD-008
ids --tag T1578 --min-severity high
ids --tag burst --tag AZD-nothing-but-a-tag 2>/dev/null; echo "exit $?"
ids --min-severity critical; echo "exit $?"
