#!/usr/bin/env bash
# Writes hostile inputs into DIR at test time (none is committed: some are huge, some are
# FIFOs or symlink loops that git cannot hold). Usage: make_inputs.sh DIR NAME...
# Each NAME is one input below; tests/cli/cases/hostile_*.cmd say what azdetect must do.
set -euo pipefail
dir=$1
shift
mkdir -p "$dir"
# One valid storage record, reused as "the rest of the input" around the damage.
rec='{"time":"2024-05-14T09:12:03.1234567Z","resourceId":"/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1","operationName":"MICROSOFT.COMPUTE/VIRTUALMACHINES/START/ACTION","category":"Administrative","resultType":"Success","callerIpAddress":"198.51.100.7","correlationId":"c1","identity":{"claims":{"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn":"eve@contoso.com"}}}'

py() { python3 -c "$1" "$dir" "$rec"; }

for name in "$@"; do
  case $name in
    empty) : >"$dir/empty.json" ;;
    whitespace) printf ' \n\t\r\n   \n' >"$dir/whitespace.json" ;;
    truncated) printf '%s\n%s\n%s' "$rec" "$rec" "${rec:0:120}" >"$dir/truncated.json" ;;
    gzip-empty) : >"$dir/zero-bytes.json.gz" ;;
    gzip-corrupt)
      py 'import gzip,sys; d=bytearray(gzip.compress((sys.argv[2]+"\n").encode()*50, mtime=0))
for i in range(20, len(d)-8): d[i] ^= 0x5a
open(sys.argv[1]+"/corrupt.json.gz","wb").write(d)' ;;
    gzip-truncated)
      py 'import gzip,sys; d=gzip.compress((sys.argv[2]+"\n").encode()*50, mtime=0)
open(sys.argv[1]+"/truncated.json.gz","wb").write(d[:len(d)//2])' ;;
    gzip-truncated-lines)
      # 2000 lines cut in the middle of the compressed stream: the lines inflated before the
      # cut are scanned, and the input is still reported as incomplete.
      py 'import gzip,sys; lines="".join(sys.argv[2].replace("\"c1\"", "\"c%d\"" % i)+"\n" for i in range(2000))
d=gzip.compress(lines.encode(), mtime=0)
open(sys.argv[1]+"/truncated-lines.json.gz","wb").write(d[:len(d)//2])' ;;
    gzip-bomb)
      # 64 MiB of spaces packs into ~64 KiB: far beyond a 1M cap, harmless without one.
      py 'import sys,zlib; c=zlib.compressobj(9, zlib.DEFLATED, 31); z=b"\0"*(1<<20)
out=[c.compress(b" "*(1<<20)) for _ in range(64)]; out.append(c.flush())
open(sys.argv[1]+"/bomb.json.gz","wb").write(b"".join(out))' ;;
    invalid-utf8)
      py 'import sys; r=sys.argv[2].encode()
open(sys.argv[1]+"/invalid-utf8.json","wb").write(r+b"\n"+r.replace(b"eve@", b"ev\xff\xc3(@")+b"\n"+r+b"\n")' ;;
    odd-utf16)
      py 'import sys; t=((sys.argv[2]+"\n")*2).encode("utf-16-le")
open(sys.argv[1]+"/odd-utf16.json","wb").write(b"\xff\xfe"+t+b"x")' ;;
    nul-bytes)
      py 'import sys; r=sys.argv[2].encode()
open(sys.argv[1]+"/nul-bytes.json","wb").write(r+b"\n"+r[:30]+b"\0\0\0"+r[30:]+b"\n\0\0\0\0\n"+r+b"\n")' ;;
    deep-arrays) py 'import sys; open(sys.argv[1]+"/deep-arrays.json","w").write("["*100000)' ;;
    deep-objects)
      py 'import sys; open(sys.argv[1]+"/deep-objects.json","w").write("{\"a\":"*100000+"1"+"}"*100000+"\n"+sys.argv[2]+"\n")' ;;
    numbers)
      py 'import sys; r=sys.argv[2]
open(sys.argv[1]+"/numbers.json","w").write(r[:-1]+",\"durationMs\":1e999999,\"level\":-123456789012345678901234567890,\"properties\":{\"statusCode\":18446744073709551616}}\n"+r.replace("\"2024-05-14T09:12:03.1234567Z\"","99999999999999999999999")+"\n")' ;;
    duplicate-keys)
      py 'import sys; r=sys.argv[2]
open(sys.argv[1]+"/duplicate-keys.json","w").write(r[:-1]+",\"operationName\":\"MICROSOFT.COMPUTE/VIRTUALMACHINES/DELETE\",\"resultType\":\"Failure\"}\n")' ;;
    not-objects) printf '["a string", [1,2], 42, null, %s]\n' "$rec" >"$dir/not-objects.json" ;;
    symlink-loop)
      mkdir -p "$dir/tree/a/b"
      printf '%s\n' "$rec" >"$dir/tree/a/b/pt1h.json"
      ln -s .. "$dir/tree/a/b/up"            # loop back to a/
      ln -s ../.. "$dir/tree/a/b/top"        # and to tree/
      ln -s loop2 "$dir/tree/loop1"          # a symlink cycle that resolves to nothing
      ln -s loop1 "$dir/tree/loop2" ;;
    unreadable)
      # Tests run as root, for whom chmod 000 changes nothing: a dangling symlink and a
      # /proc file whose read() fails are unreadable whoever you are.
      mkdir -p "$dir/unreadable"
      printf '%s\n' "$rec" >"$dir/unreadable/good.json"
      ln -s /nonexistent/azdetect-test "$dir/unreadable/dangling.json" ;;
    fifo)
      mkdir -p "$dir/withfifo"
      printf '%s\n' "$rec" >"$dir/withfifo/good.json"
      mkfifo "$dir/withfifo/pipe.json" ;;
    terminal)
      # Terminal control in every field a table shows: clear screen, an OSC 8 hyperlink, the
      # 8-bit CSI (U+009B), BEL, backspace, a carriage return that would overwrite, and a
      # right-to-left override that would disguise the name.
      py 'import json,sys
evil="\x1b[2J\x1b]8;;https://evil.example/\x07click\x1b]8;;\x07\u009b31m\x07\x08\x08\rOK\u202elive"
r=json.loads(sys.argv[2]); r["operationName"]="MICROSOFT.COMPUTE/VIRTUALMACHINES/DELETE"
r["identity"]["claims"]["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn"]="eve"+evil
r["resourceId"]="/subscriptions/s1/resourceGroups/rg"+evil+"/providers/Microsoft.Compute/virtualMachines/vm"+evil
r["properties"]={"statusMessage":"{\"error\":\""+evil.replace("\x1b","\\u001b").replace("\x07","\\u0007").replace("\x08","\\b").replace("\r","\\r")+"\"}"}
open(sys.argv[1]+"/terminal.json","w").write(json.dumps(r)+"\n")' ;;
    huge-line)
      # ~200 MB on one line: a minified az CLI array (jq -c output), generated here.
      py 'import sys
r=sys.argv[2].encode(); n=(200<<20)//(len(r)+1)+1
with open(sys.argv[1]+"/huge-line.json","wb") as f:
    f.write(b"["); f.write(b",".join([r]*n)); f.write(b"]")' ;;
    *) echo "make_inputs.sh: unknown input $name" >&2; exit 2 ;;
  esac
done
