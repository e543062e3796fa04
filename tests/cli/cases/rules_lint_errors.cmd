# rules lint prints one "file: field: message" line per problem and exits 2.
"$AZD" rules lint tests/cli/rules/bad tests/cli/rules/custom
"$AZD" rules lint tests/cli/rules/no-such-dir
