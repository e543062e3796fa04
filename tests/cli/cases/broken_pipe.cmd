# A reader that goes away (`| head`) ends the run quietly: no message, the usual exit code.
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
{ sleep 0.3; "$AZD" scan samples/ --format jsonl 2>"$dir/err"; echo $? >"$dir/rc"; } | true
echo "exit: $(cat "$dir/rc"), stderr bytes: $(wc -c < "$dir/err")"
