# Malformed run controls are rejected before any input is read: exit 2, a message, no report.
for args in "--since yesterday" "--until 2025-02-30T00:00:00Z" "--since 5y" "--since 2025-03-02 --until 2025-03-01" \
            "--rule AZD-9999" "--exclude-rule nothing-*" "--tag T9999" "--min-severity urgent"; do
  echo "== $args"
  # shellcheck disable=SC2086
  "$AZD" scan samples/ $args --format json 2>&1 | sed -n 1,2p
  echo "exit ${PIPESTATUS[0]}"
done
