# --threads changes nothing but speed: on several files and on one JSON Lines file large
# enough to be shared out block by block (~7 MB, several 1 MiB windows), every output format
# is byte-identical for 1, 2 and 5 threads (the command line itself aside).
d=$(mktemp -d /tmp/azd-threads.XXXXXX); o=$(mktemp -d /tmp/azd-threads-out.XXXXXX); trap 'rm -rf "$d" "$o"' EXIT
gen="$(dirname "$AZD")/bench/bench_datagen"
"$gen" --events 3500 --shape jsonl --seed 7 --rate 0.05 --bursts 3 -o "$d/big.json"
"$gen" --events 300 --shape array --seed 8 --rate 0.05 --bursts 1 -o "$d/array.json"
"$gen" --events 300 --shape records --seed 9 --rate 0.05 --bursts 1 -o "$d/records.json"
# The command line is in the output: it is dropped before comparing (jq for the JSON formats).
drop='del(.run.arguments?) | del(.runs[]?.invocations[]?.arguments)'
for t in 1 2 5; do
  "$AZD" scan "$d" samples --threads "$t" --format json | jq -S "$drop" >"$o/out-$t.json"
  "$AZD" scan "$d" samples --threads "$t" --format sarif | jq -S "$drop" >"$o/out-$t.sarif"
  "$AZD" scan "$d" samples --threads "$t" --format jsonl | jq -c -S "$drop" >"$o/out-$t.jsonl"
  "$AZD" scan "$d" samples --threads "$t" --format csv >"$o/out-$t.csv"
done
for f in json jsonl csv sarif; do
  cmp -s "$o/out-1.$f" "$o/out-2.$f" && cmp -s "$o/out-1.$f" "$o/out-5.$f" && echo "$f: identical" || echo "$f: DIFFERENT"
done
# What was read, so the test cannot pass on empty output.
jq -r '.inputs[] | "\(.path | sub("^.*/azd-threads\\.[^/]*/"; "")): \(.shape) \(.records) records, \(.events) events"' "$o/out-1.json"
jq -r '"findings: \(.findings | length)"' "$o/out-1.json"
