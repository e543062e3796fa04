# search: an unknown field or a malformed time is a usage error (exit 2) naming the problem.
"$AZD" search samples/ --where no_such_field=1 2>&1 | cut -c1-80; echo "exit: ${PIPESTATUS[0]}"
"$AZD" search samples/ --where caller 2>&1; echo "exit: ${PIPESTATUS[0]}"
"$AZD" search samples/ --since yesterday 2>&1; echo "exit: ${PIPESTATUS[0]}"
