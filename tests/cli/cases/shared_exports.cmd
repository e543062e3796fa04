# requires: shared
# Every real export beside the repository: shape, encoding and event count per file.
"$AZD" scan ../shared/data/activity-logs --format json | jq -r '.inputs[] | [(.path | sub(".*/activity-logs/"; "")), .shape, .encoding, .events, .skipped, .activity_log] | @tsv'
