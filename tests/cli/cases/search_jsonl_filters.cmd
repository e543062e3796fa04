# search: ~ is contains, several --where must all hold, --since/--until bound the time (inclusive).
"$AZD" search samples/ --where operation~virtualmachines/delete --where status=failed --format jsonl | jq -c 'select(.type == "event") | [.time, .status, .file, .line]'
echo "-- caller in a time range:"
"$AZD" search samples/ --where caller=svc-deploy@contoso.com --since 2024-05-14T09:14:37.7654321Z --until 2024-05-14T09:15:00Z --format jsonl | jq -c 'select(.type == "event") | [.time, .operation]'
