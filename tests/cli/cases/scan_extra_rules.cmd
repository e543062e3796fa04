# scan --rules DIR adds the rules in DIR to the built-in catalog; options may come before the paths.
"$AZD" scan --rules tests/cli/rules/custom samples/ --format json | jq -r '.findings[].rule.id' | sort | uniq -c
