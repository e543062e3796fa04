# A directory is walked recursively; both sample shapes are read in one run.
"$AZD" scan samples/ --format json | jq -c '{inputs: [.inputs[] | {path, shape, encoding, events, skipped}], findings: [.findings[] | {rule: .rule.id, resources, status}], summary: .summary | {files, events, findings}}'
