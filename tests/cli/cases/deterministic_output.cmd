# Two runs over the same inputs give byte-identical output in every format.
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
for f in json jsonl csv sarif table; do
  "$AZD" scan samples/ tests/data --format "$f" >"$dir/a" 2>&1
  "$AZD" scan samples/ tests/data --format "$f" >"$dir/b" 2>&1
  cmp -s "$dir/a" "$dir/b" && echo "$f: identical" || echo "$f: DIFFERENT"
done
