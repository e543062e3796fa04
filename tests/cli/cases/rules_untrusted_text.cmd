# Rule text loaded with --rules is untrusted: control characters are shown escaped, never sent raw.
"$AZD" rules show LOCAL-004 --rules tests/cli/rules/hostile | head -n 12
COLUMNS=400 "$AZD" rules list --rules tests/cli/rules/hostile | grep LOCAL-004 | tr -s ' '
