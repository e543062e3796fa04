# An unknown option is a usage error (exit 2).
"$AZD" scan --no-such-option samples/
