# rules show --format json: the parsed rule, conditions included.
"$AZD" rules show AZD-004 --format json | jq -c '{id, kind, outcome, match, steps: (.remediation | [.triage, .containment, .recovery, .prevention] | map(length))}'
