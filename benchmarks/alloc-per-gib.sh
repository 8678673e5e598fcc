#!/usr/bin/env bash
# Heap allocation of a Bitwright leecher per GiB downloaded, for one or more builds of bitwright.jar.
#
# A single-file torrent of SIZE random bytes (1 MiB pieces) on tmpfs is seeded by a Bitwright seed
# on 127.0.0.1 (plaintext) and downloaded by `bitwright download` (java -Xmx64m, as in
# session-vs-libtorrent.sh) with each jar in turn, REPS rounds, alternating. Only the leecher is
# measured, with JFR:
#   - jdk.ThreadAllocationStatistics every 100 ms: the bytes each thread allocated (exact, from the
#     JVM's per-thread counters), summed over the program's threads at their last sample. The
#     recording starts on the main thread before the program does: main counts from its first
#     sample. JFR's own threads are left out. The last 100 ms of each session thread (after the
#     download, while it closes) may be missed.
#   - jdk.ObjectAllocationSample (JFR's "profile" settings): the top allocation sites on the
#     session's threads (bitwright-*), by sampled weight, from each jar's last run.
# Allocation does not depend on the machine's speed; the time of each run is printed but is no
# benchmark of speed (see session-vs-libtorrent.sh for that).
#
# TRANSPORT: tcp (the default: --no-utp on both sides), utp (--no-tcp on both sides) or legacy (no
# flag, for jars from before uTP, which speak TCP only).
#
# Usage: benchmarks/alloc-per-gib.sh [-s SIZE_MIB=1024] [-r REPS=2] [-n SITES=12] [-t TRANSPORT=tcp]
#          [LABEL=]JAR...
#   (no JAR: examples/target/bitwright.jar). To compare with an earlier commit, build its jar
#   outside the worktree, e.g.
#     git archive REV | tar -x -C /tmp/bw-REV
#     (cd /tmp/bw-REV && mvn -B -ntp -q package -DskipTests -pl examples -am)
#     benchmarks/alloc-per-gib.sh base=/tmp/bw-REV/examples/target/bitwright.jar \
#       new=examples/target/bitwright.jar
# Each download is given at most 300 s; the seed and the temporary folder are removed on exit.
set -euo pipefail
size=1024
reps=2
sites=12
transport=tcp
while getopts "s:r:n:t:" opt; do
  case $opt in
    t) transport=$OPTARG ;;
    s) size=$OPTARG ;;
    r) reps=$OPTARG ;;
    n) sites=$OPTARG ;;
    *) sed -n '2,/^set -euo/p' "$0" | sed '$d' >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
case $transport in
  tcp) bw_flags=(--no-utp) ;;
  utp) bw_flags=(--no-tcp) ;;
  legacy) bw_flags=() ;;
  *) echo "TRANSPORT is tcp, utp or legacy" >&2; exit 2 ;;
esac
root=$(cd "$(dirname "$0")/.." && pwd)
(($# > 0)) || set -- "now=$root/examples/target/bitwright.jar"
labels=()
declare -A jars
for arg in "$@"; do
  label=${arg%%=*}
  [[ $arg == *=* ]] || label=$(basename "$(dirname "$(dirname "$arg")")")
  jar=${arg#*=}
  [[ -f $jar ]] || { echo "no such jar: $jar (build: mvn -B -ntp package -DskipTests)" >&2; exit 1; }
  labels+=("$label")
  jars[$label]=$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar")
done
command -v jfr > /dev/null || { echo "needs the JDK's jfr tool on PATH" >&2; exit 1; }
seed_jar=${jars[${labels[-1]}]}

dir=$(mktemp -d /dev/shm/bitwright-alloc.XXXXXX)
seed_pid=
cleanup() {
  [[ -z $seed_pid ]] || kill "$seed_pid" 2> /dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT
payload="$dir/payload.bin"
head -c $((size << 20)) /dev/urandom > "$payload"
torrent="$dir/payload.torrent"
java -jar "$seed_jar" create "$payload" -o "$torrent" --piece-size 1M --no-date > /dev/null
port=$((28000 + RANDOM % 1000))
java -jar "$seed_jar" seed "$torrent" --dir "$dir" --listen 127.0.0.1 --port "$port" \
  --encryption disabled "${bw_flags[@]}" --timeout 3600 > "$dir/seed.log" 2>&1 &
seed_pid=$!
for _ in $(seq 600); do grep -q "^seeding" "$dir/seed.log" && break; sleep 0.1; done
grep -q "^seeding" "$dir/seed.log" || { echo "the seed did not start" >&2; cat "$dir/seed.log" >&2; exit 1; }

# Per-thread bytes from a recording: prints "total io disk main" in bytes.
thread_bytes() {
  jfr print --json --events jdk.ThreadAllocationStatistics "$1" > "$dir/threads.json"
  python3 - "$dir/threads.json" << 'PY'
import json, sys
events = json.load(open(sys.argv[1]))["recording"]["events"]
last, first, name = {}, {}, {}
for e in sorted(events, key=lambda e: e["values"]["startTime"]):
    v = e["values"]
    t = v.get("thread")
    if not t:
        continue
    i = t["javaThreadId"]
    name[i] = t["javaName"]
    first.setdefault(i, v["allocated"])
    last[i] = max(last.get(i, 0), v["allocated"])
parts = {"io": 0, "disk": 0, "main": 0, "other": 0}
for i, a in last.items():
    n = name[i]
    if n.startswith("JFR "):
        continue
    if n == "main":
        parts["main"] += a - first[i]
    elif n == "bitwright-io":
        parts["io"] += a
    elif n.startswith("bitwright-disk"):
        parts["disk"] += a
    else:
        parts["other"] += a
print(sum(parts.values()), parts["io"], parts["disk"], parts["main"])
PY
}

# Top allocation sites on the session's threads, by sampled weight.
top_sites() {
  jfr print --json --stack-depth 64 --events jdk.ObjectAllocationSample "$1" > "$dir/samples.json"
  python3 - "$dir/samples.json" "$sites" << 'PY'
import collections, json, sys
events = json.load(open(sys.argv[1]))["recording"]["events"]
def frame(f):
    return "%s.%s:%s" % (f["method"]["type"]["name"].replace("/", "."), f["method"]["name"], f.get("lineNumber"))
weights, total = collections.Counter(), 0
for e in events:
    v = e["values"]
    thread = (v.get("eventThread") or {}).get("javaName") or ""
    if not thread.startswith("bitwright-"):
        continue
    frames = (v.get("stackTrace") or {}).get("frames") or []
    ours = next((frame(f) for f in frames
                 if f["method"]["type"]["name"].replace("/", ".").startswith("dev.bitwright")
                 and "$$Lambda" not in f["method"]["type"]["name"]), "-")
    top = frame(frames[0]) if frames else "-"
    cls = v["objectClass"]["name"].replace("/", ".")
    weights[(cls, top, ours)] += v["weight"]
    total += v["weight"]
for (cls, top, ours), w in weights.most_common(int(sys.argv[2])):
    where = top if top == ours else "%s <- %s" % (top, ours)
    print("  %5.1f%%  %-40s %s" % (100 * w / max(total, 1), cls, where))
PY
}

mib() { awk -v b="$1" 'BEGIN {printf "%.1f", b / 1048576}'; }
per_gib() { awk -v b="$1" -v s="$size" 'BEGIN {printf "%.1f", b / 1048576 * 1024 / s}'; }
declare -A results
for ((r = 1; r <= reps; r++)); do
  for label in "${labels[@]}"; do
    out="$dir/dl"
    rm -rf "$out"
    rec="$dir/$label.jfr"
    start=$(date +%s.%N)
    timeout 330 java -Xmx64m \
      "-XX:StartFlightRecording:filename=$rec,settings=profile,jdk.ThreadAllocationStatistics#period=100ms" \
      -jar "${jars[$label]}" download "$torrent" --dir "$out" --peer "127.0.0.1:$port" \
      --listen 127.0.0.1 --encryption disabled "${bw_flags[@]}" --timeout 300 > "$dir/leech.log" 2>&1 \
      || { echo "the download failed ($label)" >&2; tail -5 "$dir/leech.log" >&2; exit 1; }
    seconds=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}')
    cmp -s "$payload" "$out/payload.bin" || { echo "WRONG BYTES ($label)" >&2; exit 1; }
    rm -rf "$out"
    read -r total io disk main < <(thread_bytes "$rec")
    results[$label]+="$total "
    printf "run %d %-8s %s MiB allocated: %s MiB per GiB (loop thread %s, disk %s, main %s MiB)  %ss\n" \
      "$r" "$label" "$(mib "$total")" "$(per_gib "$total")" "$(mib "$io")" "$(mib "$disk")" \
      "$(mib "$main")" "$seconds"
  done
done
echo
for label in "${labels[@]}"; do
  m=$(tr ' ' '\n' <<< "${results[$label]}" | grep . | sort -n \
    | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}')
  echo "median $label: $(per_gib "$m") MiB allocated per GiB downloaded ($size MiB, $reps runs)"
done
for label in "${labels[@]}"; do
  echo
  echo "top allocation sites of $label on the session's threads (sampled weight, last run):"
  top_sites "$dir/$label.jfr"
done
