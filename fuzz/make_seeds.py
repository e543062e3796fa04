#!/usr/bin/env python3
"""Writes the ingest seed corpus (fuzz/corpus/ingest): two records from each sample in
every export shape and encoding the reader knows, plus damaged variants. Small on purpose:
libFuzzer mutates from these, so each should be a short, distinct starting point.
Run from the repository root; the output is committed."""
import gzip
import json
import os

out = "fuzz/corpus/ingest"
cli = json.load(open("samples/az_cli_activity_log.json"))[:2]
storage = [json.loads(l) for l in open("samples/storage_pt1h.json") if l.strip()][:2]


def trim(rec):
    # Keeps the fields the reader maps; drops bulk that only slows mutation down.
    return {k: v for k, v in rec.items() if k not in ("description", "id", "properties")} | (
        {"properties": {"statusCode": "OK", "statusMessage": "{\"error\":{\"code\":\"x\"}}"}})


cli = [trim(r) for r in cli]
storage = [trim(r) for r in storage]
lines = "".join(json.dumps(r, separators=(",", ":")) + "\n" for r in storage)
seeds = {
    "json_lines.json": lines,
    "json_lines_crlf.json": lines.replace("\n", "\r\n"),
    "records_envelope.json": json.dumps({"records": storage}),
    "envelopes_concatenated.json": json.dumps({"records": storage[:1]}) + "\n" + json.dumps({"records": storage[1:]}),
    "json_array_pretty.json": json.dumps(cli, indent=2),
    "json_array_pages.json": json.dumps(cli[:1]) + json.dumps(cli[1:]),
    "value_page.json": json.dumps({"value": cli, "nextLink": "https://management.azure.com/x?$skiptoken=1"}),
    "odata_page.json": json.dumps({"@odata.context": "x", "value": cli[:1]}),
    "single_object.json": json.dumps(cli[0], indent=1),
    "concatenated_objects.json": json.dumps(cli[0], indent=1) + json.dumps(cli[1], indent=1),
    "la_tables.json": json.dumps({"tables": [{"name": "PrimaryResult", "columns": [
        {"name": "TimeGenerated", "type": "datetime"}, {"name": "OperationNameValue", "type": "string"}],
        "rows": [["2024-05-14T09:12:03Z", "Microsoft.Compute/virtualMachines/delete"]]}]}),
    "la_csv.csv": 'TimeGenerated [UTC],OperationNameValue,ActivityStatusValue,Caller\n'
                  '"5/14/2024, 9:12:03.000 AM",MICROSOFT.COMPUTE/VIRTUALMACHINES/DELETE,Success,"a@b.c"\n',
    "powershell_date.json": json.dumps([{"EventTimestamp": "/Date(1715677923000)/",
                                         "OperationName": {"Value": "Microsoft.Compute/virtualMachines/delete"},
                                         "Status": {"Value": "Succeeded"}, "Caller": "a@b.c"}]),
    "truncated.json": lines[: len(lines) * 2 // 3],
    "not_activity_log.json": json.dumps({"records": [{"time": "2024-05-14T00:00:00Z", "category": "NetworkSecurityGroupFlowEvent", "operationName": "x"}]}),
    "scalars.json": "[1, \"s\", null, true, [], {\"operationName\":1e400}]",
    "deep.json": "[" * 40 + "]" * 40,
}
os.makedirs(out, exist_ok=True)
for name, text in seeds.items():
    open(os.path.join(out, name), "wb").write(text.encode())
# Encodings of the same short JSON-lines text.
open(os.path.join(out, "utf8_bom.json"), "wb").write(b"\xef\xbb\xbf" + lines.encode())
open(os.path.join(out, "utf16le_bom.json"), "wb").write(b"\xff\xfe" + json.dumps(cli[:1]).encode("utf-16-le"))
open(os.path.join(out, "utf16be_bom.json"), "wb").write(b"\xfe\xff" + json.dumps(cli[:1]).encode("utf-16-be"))
open(os.path.join(out, "utf16le_nobom.json"), "wb").write(json.dumps(cli[:1]).encode("utf-16-le"))
open(os.path.join(out, "cp1252.json"), "wb").write(lines.replace("Administrative", "Administr\xe9tive\x93").encode("cp1252", "replace"))
open(os.path.join(out, "gzip.json.gz"), "wb").write(gzip.compress(lines.encode(), mtime=0))
open(os.path.join(out, "gzip_two_members.json.gz"), "wb").write(
    gzip.compress(lines.encode(), mtime=0) + gzip.compress(lines.encode(), mtime=0))
open(os.path.join(out, "gzip_utf16.json.gz"), "wb").write(
    gzip.compress(b"\xff\xfe" + json.dumps(cli[:1]).encode("utf-16-le"), mtime=0))
