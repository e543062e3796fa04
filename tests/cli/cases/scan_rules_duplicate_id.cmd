# A --rules file may not reuse a built-in rule id: the run stops with exit 2 and names the file.
"$AZD" scan samples/ --rules tests/cli/rules/duplicate --format json 2>&1
