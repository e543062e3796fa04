# Valid rule files: one summary line, exit 0. The built-in rule files lint clean too.
"$AZD" rules lint tests/cli/rules/custom tests/cli/rules/hostile
"$AZD" rules lint detections >/dev/null && echo "detections/: ok"
