# requires: shared
# Every real export beside the repository: shape, encoding, records, events, skipped, whether it is
# an Activity Log, and what it was taken for. SOURCES.md: 276 events over the 8 Activity Log files
# (23 CSV + 5 x 50 az CLI + 1 Event Hub + 2 Log Analytics); the 4 negative controls give 0.
"$AZD" scan ../shared/data/activity-logs --format json | jq -r '.inputs[] | [(.path | sub(".*/activity-logs/"; "")), .shape, .encoding, .records, .events, .skipped, .activity_log, .detail] | @tsv'
"$AZD" scan ../shared/data/activity-logs --format json | jq -r '"total events: \(.summary.events)"'
