# A matching entry suppresses: exit 0, counted, shown only with --show-suppressed; an entry for
# other IPs does not match; an expired one warns and stops suppressing; a malformed file is exit 2.
f=tests/detections/AZD-008/fires.json
d=tests/cli/data/suppressions
"$AZD" scan "$f" --rule AZD-008 --suppressions $d/ci.json --format json | jq -c '{findings: [.findings[] | .rule.id], summary: .summary.findings}'
echo "exit ${PIPESTATUS[0]}"
"$AZD" scan "$f" --rule AZD-008 --suppressions $d/ci.json --show-suppressed --format json | jq -c '[.findings[] | {rule: .rule.id, suppressed, suppression_reason}]'
echo "exit ${PIPESTATUS[0]}"
"$AZD" scan "$f" --rule AZD-008 --suppressions $d/other_ip.json --format json | jq -c '[.findings[] | .rule.id]'
echo "exit ${PIPESTATUS[0]}"
"$AZD" scan "$f" --rule AZD-008 --suppressions $d/expired.json --format json 2>&1 >/dev/null
echo "exit $?"
"$AZD" scan "$f" --suppressions $d/malformed.json --format json 2>&1
echo "exit $?"
