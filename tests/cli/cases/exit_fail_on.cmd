# --fail-on: the samples hold high and low findings, no critical. Exit 1 up to high, 0 above it
# and with none.
for level in info low high critical none; do
  "$AZD" scan samples/ --format json --fail-on "$level" >/dev/null 2>&1
  echo "--fail-on $level: $?"
done
