# "-" reads standard input.
"$AZD" scan - --format json < samples/storage_pt1h.json | jq -c '[.inputs[0].path, .inputs[0].events, (.findings | length)]'
