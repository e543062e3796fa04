# Summarises `azdetect scan --format json` for hostile-input tests: one line per input with
# its counts and located errors, paths relative to the test's temporary directory, and a
# loud marker when the accounting (records == events + skipped + duplicates) does not add up.
.inputs[] |
  (.path | sub("^.*/azd-hostile\\.[^/]*/"; "")) as $p |
  "\($p): readable=\(.readable) shape=\(.shape) encoding=\(.encoding) records=\(.records) events=\(.events) skipped=\(.skipped) duplicates=\(.duplicates) errors=\(.error_count)"
  + (if .records != .events + .skipped + .duplicates then " ACCOUNTING-BROKEN" else "" end),
  (.errors[] | "  line \(.line): \(.reason)")
