# An unknown rule id is a usage error, reported on stderr.
"$AZD" rules show AZD-999 2>&1
