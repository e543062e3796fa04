# -o writes to a file and refuses to overwrite it without --force (exit 2, nothing written).
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$AZD" scan samples/ --format csv -o "$dir/out.csv"; echo "first: $? $(wc -l < "$dir/out.csv") lines"
echo keep > "$dir/old.json"
"$AZD" scan samples/ --format json -o "$dir/old.json"; echo "exists: $? $(cat "$dir/old.json")"
"$AZD" scan samples/ --format json -o "$dir/old.json" --force; echo "force: $? $(jq .summary.findings "$dir/old.json")"
