# --help shows the examples and exit codes.
"$AZD" --help | sed -n '/^Examples:/,$p'
