# A JSON Lines file read by several threads in chunks at their positions (AZDETECT_READ_WINDOW
# makes the chunks 4 KiB, so every record spans chunks) gives what one thread reading it in
# order gives: the same events, lines, offsets and errors. The file has what chunk edges can
# cut badly: a record of ~200 KB (longer than the room kept for a carried line), Windows-1252
# bytes to repair, CRLF endings, blank lines, a malformed record and no final newline.
d=$(mktemp -d /tmp/azd-chunks.XXXXXX); o=$(mktemp -d /tmp/azd-chunks-out.XXXXXX); trap 'rm -rf "$d" "$o"' EXIT
gen="$(dirname "$AZD")/bench/bench_datagen"
"$gen" --events 600 --shape jsonl --seed 5 --rate 0.05 --bursts 2 -o "$d/part.json"
f="$d/chunks.json"
head -n 200 "$d/part.json" >"$f"
# One long record: the first record again, with a ~200 KB key in front.
{ printf '{"note":"'; head -c 200000 /dev/zero | tr '\0' 'x'; printf '",'; head -n 1 "$d/part.json" | cut -c2-; } >>"$f"
printf '\n\n{"not": "closed"\n' >>"$f"
# Windows-1252 bytes (0xE9, 0x93) in a caller name, then CRLF endings for a stretch.
sed -n '201,300p' "$d/part.json" | sed 's/alice/al\xe9\x93ce/' >>"$f"
sed -n '301,400p' "$d/part.json" | sed 's/$/\r/' >>"$f"
sed -n '401,600p' "$d/part.json" >>"$f"
printf '%s' "$(tail -n 1 "$d/part.json")" >>"$f"   # no newline at the end
# The reference reads standard input, which is never chunked: one thread, in order.
drop='del(.run.arguments?) | walk(if type == "string" and (. == $path or . == "-") then "INPUT" else . end)'
"$AZD" scan - --threads 1 --format json <"$f" | jq -S --arg path "$f" "$drop" >"$o/whole.json"
for w in 4096 70000 1048576; do
  for t in 1 2 5; do
    AZDETECT_READ_WINDOW=$w "$AZD" scan "$f" --threads "$t" --format json | jq -S --arg path "$f" "$drop" >"$o/out.json"
    cmp -s "$o/whole.json" "$o/out.json" && echo "window $w, $t threads: identical" || echo "window $w, $t threads: DIFFERENT"
  done
done
# Inputs that can only be read in order (gzip, standard input) are read by the threads in
# turns, block by block, each thread parsing the block it read: the same again. (A gzip's
# size and flag are its own.)
gzip -c "$f" >"$d/chunks.json.gz"
gz_own='del(.inputs[].bytes, .inputs[].gzip, .summary.bytes?)'
jq -S "$gz_own" "$o/whole.json" >"$o/whole-gz.json"
for w in 4096 1048576; do
  for t in 2 5; do
    AZDETECT_READ_WINDOW=$w "$AZD" scan "$d/chunks.json.gz" --threads "$t" --format json |
      jq -S --arg path "$d/chunks.json.gz" "$drop | $gz_own" >"$o/out.json"
    cmp -s "$o/whole-gz.json" "$o/out.json" && echo "gzip, window $w, $t threads: identical" || echo "gzip, window $w, $t threads: DIFFERENT"
    AZDETECT_READ_WINDOW=$w "$AZD" scan - --threads "$t" --format json <"$f" | jq -S --arg path "$f" "$drop" >"$o/out.json"
    cmp -s "$o/whole.json" "$o/out.json" && echo "standard input, window $w, $t threads: identical" ||
      echo "standard input, window $w, $t threads: DIFFERENT"
  done
done
jq -r '.inputs[] | "\(.shape) \(.encoding) \(.records) records, \(.events) events, \(.skipped) skipped"' "$o/whole.json"
jq -r '.inputs[].errors[] | "line \(.line) (byte \(.offset)): \(.reason)"' "$o/whole.json"
jq -r '"findings: \(.findings | length)"' "$o/whole.json"
