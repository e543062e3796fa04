# summary --format json: the same tallies, every row, first/last time with 7 fractional digits.
"$AZD" summary samples/ --format json | jq -c '.activity | to_entries[] | [.key, (.value | length), .value[0]]'
