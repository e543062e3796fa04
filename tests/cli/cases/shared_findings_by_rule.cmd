# requires: shared
# Which rules fire on which real export, and how often: the catalog's conformance over real data.
# Every line was reviewed by hand (docs/detections.md, "Real exports"); a change here means a rule
# now fires differently on real data and must be reviewed again before it is accepted. The exit
# code is not part of this case (unreadable non-Activity-Log files in the folder set it).
("$AZD" scan ../shared/data/activity-logs --format json || true) | jq -r '.findings[] | [(.evidence[0].file | sub(".*/activity-logs/"; "")), .rule.id, .rule.severity, .status] | @tsv' | sort | uniq -c
