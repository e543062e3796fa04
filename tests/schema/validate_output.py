#!/usr/bin/env python3
"""Validates real azdetect output against docs/schema/azdetect-output.schema.json.

Runs the binary over the samples and test data in json and jsonl (plus a missing file, so the
error lines are covered, and the shared real exports when they sit beside the checkout) and
checks the document and every line. Usage: validate_output.py AZDETECT REPO_ROOT
"""
import json
import os
import subprocess
import sys

import jsonschema


def run(binary, args, command="scan"):
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
    proc = subprocess.run([binary, command, *args], capture_output=True, text=True, env=env)
    if proc.returncode not in (0, 1, 3):
        sys.exit(f"azdetect {command} {' '.join(args)} exited {proc.returncode}: {proc.stderr}")
    return proc.stdout


def report(validator, obj, where):
    errors = list(validator.iter_errors(obj))
    for err in errors:
        print(f"{where}: {'/'.join(map(str, err.absolute_path))}: {err.message}")
    return len(errors)


def main():
    binary, root = sys.argv[1], sys.argv[2]
    os.chdir(root)
    with open("docs/schema/azdetect-output.schema.json") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    document = jsonschema.Draft202012Validator(schema)
    # The line schema is a definition inside the same file; evolve() keeps "#/..." resolving there.
    line = document.evolve(schema={"$ref": "#/$defs/jsonl_line"})
    activity = document.evolve(schema={"$ref": "#/$defs/activity_document"})

    inputs = [["samples/"], ["tests/data"], ["samples/", "does/not/exist.json"]]
    if os.path.isdir("tests/detections"):
        inputs.append(["tests/detections"])
    if os.path.isdir("../shared/data/activity-logs"):
        inputs.append(["../shared/data/activity-logs"])
    failures = 0
    checked = {"documents": 0, "lines": 0, "findings": 0, "types": set()}
    for paths in inputs:
        doc = json.loads(run(binary, [*paths, "--format", "json"]))
        failures += report(document, doc, f"scan json {paths}")
        checked["findings"] += len(doc["findings"])
        failures += report(activity, json.loads(run(binary, [*paths, "--format", "json"], "summary")),
                           f"summary json {paths}")
        checked["documents"] += 2
        lines = [("scan", t) for t in run(binary, [*paths, "--format", "jsonl"]).splitlines()]
        lines += [("search", t) for t in run(binary, [*paths, "--where", "operation~/", "--format", "jsonl"],
                                              "search").splitlines()]
        for n, (command, text) in enumerate(lines, 1):
            obj = json.loads(text)
            checked["types"].add(obj.get("type"))
            failures += report(line, obj, f"{command} jsonl {paths} line {n}")
            checked["lines"] += 1
    missing = {"run", "input", "error", "finding", "summary", "event"} - checked["types"]
    if missing:
        failures += 1
        print(f"line types never produced, so never validated: {sorted(missing)}")
    if checked["findings"] == 0:
        failures += 1
        print("no findings were produced, so the finding schema was never exercised")
    print(f"validated {checked['documents']} documents ({checked['findings']} findings) and "
          f"{checked['lines']} jsonl lines; {failures} problem(s)")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
