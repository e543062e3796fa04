#!/usr/bin/env bash
# Benchmarks azdetect against a bare simdjson pass (bench/reference.cc) and jq on the same
# generated files (bench/datagen.cc), and prints a Markdown table. docs/performance.md says
# how to read it; bench/results/ holds committed runs.
#
#   bench/run.sh                        # 100 MB and 1 GB of every shape, 5 runs each
#   bench/run.sh --sizes "100" --runs 3 --shapes jsonl
#   bench/run.sh --smoke                # seconds, tiny data: checks that everything works
#   bench/run.sh --scaling 1000         # --threads 1 vs 2 on one 1000 MB JSON Lines file and on
#                                       # the same events in 40 and in 2,000 files, plus gzip vs `gzip -dc`
#   bench/run.sh --cpu 0                # single-threaded runs pinned to CPU 0 (taskset): on a VM
#                                       # whose vCPUs run at different speeds, the same CPU
#                                       # for every single-threaded figure
#   bench/run.sh --fresh                # generate the data files again first: a file that sat
#                                       # in the page cache for hours can be copied out of it
#                                       # much more slowly (docs/performance.md, Measuring)
#
# The main table runs azdetect with --threads 1 (like the single-threaded reference) unless
# --threads says otherwise.
#
# Every figure is a median over the runs. Ratios (azdetect / reference, azdetect / jq) are
# taken run by run, each pair measured back to back, then the median of those is reported,
# so a load spike from other processes hits both sides of a ratio alike. Throughput is given
# per wall second and per CPU second (user + sys): on a shared machine the second is the
# steadier one. The finding and match counts are printed so a fast wrong answer shows.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build="$here/../build"
data="${AZD_BENCH_DATA:-/tmp/azdetect-bench}"
runs=5
sizes="100 1000"      # MB per file
shapes="jsonl array records value"
threads="1"
scaling=""
smoke=0
use_jq=1
cpu=""
fresh=0
rate=0.001
bursts=4

while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) smoke=1 ;;
    --build-dir) build="$2"; shift ;;
    --data-dir) data="$2"; shift ;;
    --runs) runs="$2"; shift ;;
    --sizes) sizes="$2"; shift ;;
    --shapes) shapes="$2"; shift ;;
    --threads) threads="$2"; shift ;;
    --scaling) scaling="$2"; shift ;;
    --no-jq) use_jq=0 ;;
    --cpu) cpu="$2"; shift ;;
    --fresh) fresh=1 ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

fail() { echo "run.sh: FAIL: $*" >&2; exit 1; }

azdetect="$build/azdetect"
datagen="$build/bench/bench_datagen"
[ -x "$azdetect" ] || fail "no $azdetect (build first)"
[ -x "$datagen" ] || fail "no $datagen (build first)"
timer="$build/bench/bench_timed"
[ -x "$timer" ] || fail "no $timer (build first)"
command -v jq >/dev/null || fail "jq is missing (scripts/deps.sh installs it)"

# Only the files this script names (shape-EVENTS.json, the gzip, the split folders).
if [ "$fresh" = 1 ] && [ -d "$data" ]; then
  for f in "$data"/*; do
    if [[ ${f##*/} =~ ^((jsonl|array|records|value)-[0-9]+\.json|jsonl-[0-9]+\.json\.gz|split-[0-9]+|split[0-9]+-[0-9]+)$ ]]; then
      rm -rf "$f"
    fi
  done
fi

# The reference must use the same On Demand kernel as azdetect.
kernel=$({ "$azdetect" --version -v 2>/dev/null || true; } | sed -n 's/^simdjson on-demand kernel: \([a-z0-9]*\).*/\1/p')
kernel=${kernel:-fallback}
reference="$build/bench/bench_reference_$kernel"
[ -x "$reference" ] || fail "no $reference for azdetect's kernel '$kernel'"

if [ "$smoke" = 1 ]; then
  data=$(mktemp -d)
  trap 'rm -rf "$data"' EXIT
  runs=1
  sizes=1
  rate=0.05
  scaling=1  # the thread and gzip table too, on 1 MB
fi
mkdir -p "$data"

# Records per MB: storage records are ~2.8 KB, az CLI ones ~3.4 KB.
events_for() {  # shape, MB
  case "$1" in
    jsonl|records) echo $(( $2 * 1000000 / 2780 )) ;;
    *) echo $(( $2 * 1000000 / 3390 )) ;;
  esac
}

# Runs a command under bench_timed (bench/timed.cc: wait4's rusage, to the microsecond);
# sets t_wall, t_cpu (s) and t_rss (KB). stdout to $2.
timed() {  # label, outfile, command...
  local out="$2" tf
  tf=$(mktemp)
  shift 2
  local rc=0
  "$timer" "$tf" "$out" "$@" || rc=$?
  read -r t_wall t_user t_sys t_rss <"$tf"
  rm -f "$tf"
  t_wall=$(awk -v w="$t_wall" 'BEGIN { printf "%.4f", w }')
  t_cpu=$(awk -v u="$t_user" -v s="$t_sys" 'BEGIN { printf "%.4f", u + s }')
  return $rc
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) { print "nan"; exit } if (NR % 2) print v[(NR + 1) / 2]; else printf "%.4f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
mbps() { awk -v b="$1" -v s="$2" 'BEGIN { s += 0; if (s <= 0) s = 0.001; printf "%.0f", b / s / 1e6 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { a += 0; if (a <= 0) a = 0.001; printf "%.3f\n", b / a }'; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; [ "$smoke" = 1 ] && rm -rf "$data"' EXIT

azd_args=(scan --format json -q)
[ -n "$threads" ] && azd_args+=(--threads "$threads")
# Single-threaded runs (the main table, the references, jq, --threads 1 below) on one CPU.
pin=()
[ -n "$cpu" ] && pin=(taskset -c "$cpu")

echo "# azdetect benchmark"
echo
echo "- azdetect: $({ "$azdetect" --version -v 2>/dev/null || true; } | tr '\n' ';' | sed 's/;$//; s/;/; /g')"
echo "- reference: $("$reference" --kernel) kernel, iterate_many for JSON Lines, one document otherwise"
echo "- jq: $(jq --version) \`select(.operationName|test(\"delete\";\"i\"))\` (JSON Lines only)"
echo "- CPU: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(nproc) cores; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- runs per figure: $runs (medians); rate $rate, bursts $bursts"
echo
echo "| shape | MB | events | azdetect MB/s (wall) | MB/s (cpu) | events/s (cpu) | peak RSS MB | RSS beyond the mapped input MB | findings | reference MB/s (cpu) | ref RSS MB | matches | azd/ref (cpu) | windowed ref MB/s (cpu) | azd/windowed ref (cpu) | one rule/windowed ref (cpu) | jq MB/s | jq matches | azd/jq (wall) |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"

status=0
for shape in $shapes; do
  for mb in $sizes; do
    if [ "$smoke" = 1 ]; then events=2000; else events=$(events_for "$shape" "$mb"); fi
    file="$data/$shape-$events.json"
    if [ ! -s "$file" ]; then
      "$datagen" --events "$events" --shape "$shape" --seed 1 --rate "$rate" --bursts "$bursts" -o "$file"
    fi
    bytes=$(stat -c %s "$file")
    if [ "$smoke" = 1 ]; then
      # Same arguments, same bytes.
      "$datagen" --events "$events" --shape "$shape" --seed 1 --rate "$rate" --bursts "$bursts" -o "$tmp/again.json"
      cmp -s "$file" "$tmp/again.json" || fail "datagen is not deterministic for $shape"
    fi
    : >"$tmp/azd_wall"; : >"$tmp/azd_cpu"; : >"$tmp/azd_rss"; : >"$tmp/ref_cpu"; : >"$tmp/ref_rss"; : >"$tmp/ratio_ref"
    : >"$tmp/jq_wall"; : >"$tmp/ratio_jq"; : >"$tmp/refw_cpu"; : >"$tmp/ratio_refw"; : >"$tmp/ratio_one"
    findings="" matches="" jq_matches="-" azd_events=""
    for _ in $(seq "$runs"); do
      rc=0
      timed azdetect "$tmp/azd.json" "${pin[@]}" "$azdetect" "${azd_args[@]}" "$file" || rc=$?
      [ "$rc" -le 1 ] || fail "azdetect exited $rc on $file"
      echo "$t_wall" >>"$tmp/azd_wall"; echo "$t_cpu" >>"$tmp/azd_cpu"; echo "$t_rss" >>"$tmp/azd_rss"
      a_cpu=$t_cpu a_wall=$t_wall
      f=$(jq '.findings | length' "$tmp/azd.json")
      azd_events=$(jq '.summary.events' "$tmp/azd.json")
      [ -z "$findings" ] || [ "$findings" = "$f" ] || fail "findings differ between runs on $file"
      findings=$f
      timed reference "$tmp/ref.txt" "${pin[@]}" "$reference" "$file" || fail "reference failed on $file: $(cat "$tmp/ref.txt")"
      echo "$t_cpu" >>"$tmp/ref_cpu"; echo "$t_rss" >>"$tmp/ref_rss"
      ratio "$a_cpu" "$t_cpu" >>"$tmp/ratio_ref"
      matches=$(sed -n 's/.* matches=\([0-9]*\).*/\1/p' "$tmp/ref.txt")
      if [ "$shape" = jsonl ]; then
        # The same bare pass reading the file the way azdetect reads JSON Lines.
        timed reference "$tmp/refw.txt" "${pin[@]}" "$reference" --read "$file" || fail "windowed reference failed on $file"
        echo "$t_cpu" >>"$tmp/refw_cpu"
        ratio "$a_cpu" "$t_cpu" >>"$tmp/ratio_refw"
        [ "$(sed -n 's/.* matches=\([0-9]*\).*/\1/p' "$tmp/refw.txt")" = "$matches" ] || fail "windowed reference disagrees on $file"
        refw_t=$t_cpu
        # azdetect with one rule: the reading, duplicate keys and counts every event needs,
        # with almost no rule work. What the catalog adds is the gap to the full run.
        rc=0
        timed one "$tmp/one.json" "${pin[@]}" "$azdetect" "${azd_args[@]}" --rule AZD-001 "$file" || rc=$?
        [ "$rc" -le 1 ] || fail "azdetect --rule AZD-001 exited $rc on $file"
        ratio "$t_cpu" "$refw_t" >>"$tmp/ratio_one"
      fi
      if [ "$use_jq" = 1 ] && [ "$shape" = jsonl ]; then
        timed jq "$tmp/jq.out" "${pin[@]}" jq -c 'select(.operationName|test("delete";"i"))' "$file" || fail "jq failed on $file"
        echo "$t_wall" >>"$tmp/jq_wall"
        ratio "$a_wall" "$t_wall" >>"$tmp/ratio_jq"
        jq_matches=$(wc -l <"$tmp/jq.out")
      fi
    done
    [ "$azd_events" = "$events" ] || fail "azdetect read $azd_events events of $events in $file"
    if [ "$jq_matches" != "-" ] && [ "$jq_matches" != "$matches" ]; then
      fail "reference counted $matches delete records, jq $jq_matches ($file)"
    fi
    if [ "$smoke" = 1 ] && [ "$findings" = 0 ]; then
      fail "no findings in $file: the generated data should trigger the catalog"
    fi
    w=$(median <"$tmp/azd_wall"); c=$(median <"$tmp/azd_cpu"); r=$(median <"$tmp/azd_rss")
    rc_=$(median <"$tmp/ref_cpu"); rr=$(median <"$tmp/ratio_ref")
    # Every generated shape is streamed through a reused window, never mapped (only UTF-16
    # and Log Analytics tables are read whole), so all of the RSS is beyond the input.
    mapped=0
    rwc="-" rwr="-" r1="-"
    if [ -s "$tmp/refw_cpu" ]; then rwc=$(mbps "$bytes" "$(median <"$tmp/refw_cpu")"); rwr=$(median <"$tmp/ratio_refw"); r1=$(median <"$tmp/ratio_one"); fi
    jqw="-" rj="-"
    if [ -s "$tmp/jq_wall" ]; then jqw=$(mbps "$bytes" "$(median <"$tmp/jq_wall")"); rj=$(median <"$tmp/ratio_jq"); fi
    eps=$(awk -v e="$events" -v s="$c" 'BEGIN { s += 0; if (s <= 0) s = 0.001; printf "%.0f", e / s }')
    echo "| $shape | $(awk -v b="$bytes" 'BEGIN { printf "%.0f", b / 1e6 }') | $events | $(mbps "$bytes" "$w") | $(mbps "$bytes" "$c") | $eps | $(awk -v k="$r" 'BEGIN { printf "%.0f", k / 1024 }') | $(awk -v k="$r" -v b="$mapped" 'BEGIN { printf "%.0f", k / 1024 - b / 1048576 }') | $findings | $(mbps "$bytes" "$rc_") | $(awk -v k="$(median <"$tmp/ref_rss")" 'BEGIN { printf "%.0f", k / 1024 }') | $matches | $rr | $rwc | $rwr | $r1 | $jqw | $jq_matches | $rj |"
  done
done
# Threads and gzip: wall-clock medians, each pair of runs back to back.
scaling_table() {  # MB
  local mb=$1 events file dir gz
  events=$(events_for jsonl "$mb")
  file="$data/jsonl-$events.json"
  [ -s "$file" ] || "$datagen" --events "$events" --shape jsonl --seed 1 --rate "$rate" --bursts "$bursts" -o "$file"
  # The same events as N files, cut at lines, the way storage exports arrive (one PT1H.json
  # per hour): 40 files, and a folder of many short ones for the per-file costs.
  split_into() {  # N dir
    [ -d "$2" ] && return
    mkdir -p "$2"
    split -n "l/$1" -d -a "${#1}" --additional-suffix=.json "$file" "$2/PT1H-"
  }
  dir="$data/split-$events"
  split_into 40 "$dir"
  local many=2000; [ "$smoke" = 1 ] && many=20
  local dir_many="$data/split$many-$events"
  split_into "$many" "$dir_many"
  gz="$data/jsonl-$events.json.gz"
  [ -s "$gz" ] || gzip -c -6 "$file" >"$gz"
  # What two threads can reach depends on both CPUs: a virtual CPU whose host core is busy
  # runs slower, and then the ceiling is 1 + (time on the fast CPU / time on the slow one).
  if command -v taskset >/dev/null; then
    echo
    echo "| one thread pinned to CPU | $(seq -s ' | ' 0 $(($(nproc) - 1))) |"
    echo "|---|$(for _ in $(seq "$(nproc)"); do printf -- '---|'; done)"
    local row="| $file (s, wall) |"
    for c in $(seq 0 $(($(nproc) - 1))); do
      timed pin "$tmp/pin.json" taskset -c "$c" "$azdetect" scan --format json -q --threads 1 "$file" || true
      row="$row $t_wall |"
    done
    echo "$row"
  fi
  echo
  # Best of the runs too: a neighbour on the host only ever slows a vCPU down, so the fastest
  # run of each kind is the one least disturbed (docs/performance.md, Measuring).
  echo "| input | MB | threads 1 (s, wall) | threads 2 (s, wall) | speedup | fastest 1 / fastest 2 (s) | speedup of the fastest | findings 1 / 2 |"
  echo "|---|---|---|---|---|---|---|---|"
  local input label
  for input in "$file" "$dir" "$dir_many"; do
    label="one JSON Lines file"
    [ "$input" = "$dir" ] && label="40 JSON Lines files"
    [ "$input" = "$dir_many" ] && label="$many JSON Lines files"
    : >"$tmp/w1"; : >"$tmp/w2"; : >"$tmp/sp"
    local f1="" f2=""
    for _ in $(seq "$runs"); do
      timed t1 "$tmp/t1.json" "${pin[@]}" "$azdetect" scan --format json -q --threads 1 "$input" || true
      echo "$t_wall" >>"$tmp/w1"; local w1=$t_wall
      timed t2 "$tmp/t2.json" "$azdetect" scan --format json -q --threads 2 "$input" || true
      echo "$t_wall" >>"$tmp/w2"
      ratio "$t_wall" "$w1" >>"$tmp/sp"
      f1=$(jq '.findings | length' "$tmp/t1.json"); f2=$(jq '.findings | length' "$tmp/t2.json")
      [ "$f1" = "$f2" ] || fail "--threads 1 and 2 disagree on $input ($f1 vs $f2 findings)"
    done
    local b1 b2
    b1=$(sort -g "$tmp/w1" | head -n 1); b2=$(sort -g "$tmp/w2" | head -n 1)
    echo "| $label | $mb | $(median <"$tmp/w1") | $(median <"$tmp/w2") | $(median <"$tmp/sp") | $b1 / $b2 | $(ratio "$b2" "$b1") | $f1 / $f2 |"
  done
  echo
  echo "| gzip input | MB compressed | MB plain | azdetect --threads 1 (s, wall) | gzip -dc > /dev/null (s, wall) | azdetect / gzip | peak RSS MB |"
  echo "|---|---|---|---|---|---|---|"
  : >"$tmp/gw"; : >"$tmp/zw"; : >"$tmp/gr"; : >"$tmp/grss"
  for _ in $(seq "$runs"); do
    timed gz "$tmp/gz.json" "${pin[@]}" "$azdetect" scan --format json -q --threads 1 "$gz" || true
    echo "$t_wall" >>"$tmp/gw"; echo "$t_rss" >>"$tmp/grss"; local aw=$t_wall
    timed zcat /dev/null "${pin[@]}" gzip -dc "$gz" || fail "gzip -dc failed"
    echo "$t_wall" >>"$tmp/zw"
    ratio "$t_wall" "$aw" >>"$tmp/gr"
  done
  echo "| jsonl | $(awk -v b="$(stat -c %s "$gz")" 'BEGIN { printf "%.0f", b / 1e6 }') | $mb | $(median <"$tmp/gw") | $(median <"$tmp/zw") | $(median <"$tmp/gr") | $(awk -v k="$(median <"$tmp/grss")" 'BEGIN { printf "%.0f", k / 1024 }') |"
}
[ -n "$scaling" ] && scaling_table "$scaling"

[ "$smoke" = 1 ] && echo && echo "smoke: OK"
exit $status
