# An unreadable input is reported and gives exit code 2.
"$AZD" scan does/not/exist.json --format json | jq -c '[.inputs[0].readable, .inputs[0].errors[0].reason]'
