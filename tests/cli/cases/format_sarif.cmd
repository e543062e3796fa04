# --format sarif: SARIF 2.1.0 with the rules that fired and one result per finding (the
# finding's own fields under properties are the json ones, compared in format_json_full).
"$AZD" scan samples/ --format sarif | jq '.runs[0] |= (.tool.driver.rules |= map(del(.fullDescription, .help)) | .results |= map(.properties |= {id}))'
