# The az CLI sample as JSON: one VM-deleted finding per deleted VM, the lock-blocked one not.
"$AZD" scan samples/az_cli_activity_log.json --format json | jq 'del(.run.started)'
