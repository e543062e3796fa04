# A single ~200 MB line (a minified az CLI array, as `jq -c` writes it), generated at test
# time: every record is read, and peak memory stays near the file's own size (the file is
# memory-mapped, records are parsed one at a time), well under 1 GiB.
d=$(mktemp -d /tmp/azd-hostile.XXXXXX); trap 'rm -rf "$d"' EXIT
tests/hostile/make_inputs.sh "$d" huge-line
python3 - "$AZD" "$d" <<'PY'
import resource, subprocess, sys
azd, d = sys.argv[1], sys.argv[2]
with open(d + "/out.json", "wb") as out:
    code = subprocess.run([azd, "scan", d + "/huge-line.json", "--format", "json"], stdout=out).returncode
peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
print("exit", code, "peak memory", "under 1 GiB" if peak_mib < 1024 else f"{peak_mib} MiB")
PY
jq -r -f tests/hostile/inputs.jq "$d/out.json"
