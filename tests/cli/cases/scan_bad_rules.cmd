# A rule file with problems stops the scan before any input is read: exit 2, problems on stderr.
"$AZD" scan samples/ --rules tests/cli/rules/bad --format json 2>&1
