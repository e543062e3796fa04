# --since/--until keep events by event time: the 11th VM delete settles at 02:30:00Z, so an
# --until one second earlier leaves 10 and the mass-deletion rule stays quiet; offsets count.
f=tests/detections/AZD-008/threshold.json
"$AZD" scan "$f" --rule AZD-008 --format json | jq -c '[.findings[] | {rule: .rule.id, count}]'
"$AZD" scan "$f" --rule AZD-008 --until 2025-03-14T02:29:59Z --format json | jq -c '[.findings[] | {rule: .rule.id, count}]'
"$AZD" scan "$f" --rule AZD-008 --since 2025-03-14T04:09:58+02:00 --until 2025-03-14T02:30:00Z --format json | jq -c '[.findings[] | {rule: .rule.id, count}]'
"$AZD" scan "$f" --rule AZD-008 --since 2025-03-14T04:10:00.0000001+02:00 --format json | jq -c '[.findings[] | {rule: .rule.id, count}]'
"$AZD" scan "$f" --since 1h --format json | jq -c '[.findings[] | .rule.id]'
