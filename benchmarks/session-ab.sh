#!/usr/bin/env bash
# A/B of Bitwright builds on the transfers of session-vs-libtorrent.sh, alternating in one run.
#
# A single-file torrent of SIZE random bytes (1 MiB pieces) on tmpfs, on 127.0.0.1, plaintext, over
# TRANSPORT: tcp (the default: Bitwright with --no-utp, libtorrent with uTP off), utp (Bitwright with
# --no-tcp; bw->bw only, as libtorrent's uTP seed is far slower than either jar), or legacy (TCP,
# for jars from before uTP, which take no transport flags).
# For every round and every jar in turn:
#   lt->bw  a libtorrent seed (../shared/interop/seed.py, one for the whole run) -> this jar's
#           `bitwright download` (java -Xmx64m)
#   bw->bw  this jar's `bitwright seed` -> this jar's `bitwright download`
# Each leecher process is timed end to end (launch to every piece verified) with /usr/bin/time
# (seconds, CPU seconds, peak RSS) and its file compared with the payload byte for byte. Medians per
# jar and pairing follow the runs. One uncounted lt->bw download warms the libtorrent seed first.
#
# Usage: benchmarks/session-ab.sh [-s SIZE_MIB=1024] [-r REPS=3] [-t TRANSPORT=tcp] LABEL=JAR...
#   Build an earlier commit's jar outside the worktree, e.g.
#     git archive REV | tar -x -C /tmp/bw-REV
#     (cd /tmp/bw-REV && mvn -B -ntp -q package -DskipTests -pl examples -am)
#     benchmarks/session-ab.sh old=/tmp/bw-REV/examples/target/bitwright.jar \
#       new=examples/target/bitwright.jar
# Each download is given at most 300 s; seeds and the temporary folder are removed on exit.
set -euo pipefail
size=1024
reps=3
transport=tcp
while getopts "s:r:t:" opt; do
  case $opt in
    s) size=$OPTARG ;;
    r) reps=$OPTARG ;;
    t) transport=$OPTARG ;;
    *) sed -n '2,/^set -euo/p' "$0" | sed '$d' >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
case $transport in
  tcp) bw_flags=(--no-utp); pairs=(lt-bw bw-bw) ;;
  utp) bw_flags=(--no-tcp); pairs=(bw-bw) ;;
  legacy) bw_flags=(); pairs=(lt-bw bw-bw) ;;
  *) echo "TRANSPORT is tcp, utp or legacy" >&2; exit 2 ;;
esac
(($# > 0)) || { sed -n '2,/^set -euo/p' "$0" | sed '$d' >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
interop="$root/../shared/interop"
labels=()
declare -A jars
for arg in "$@"; do
  [[ $arg == *=* ]] || { echo "give LABEL=JAR, not $arg" >&2; exit 2; }
  label=${arg%%=*}
  jar=${arg#*=}
  [[ -f $jar ]] || { echo "no such jar: $jar" >&2; exit 1; }
  labels+=("$label")
  jars[$label]=$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar")
done

dir=$(mktemp -d /dev/shm/bitwright-ab.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2> /dev/null || true; done
  rm -rf "$dir"
}
trap cleanup EXIT
payload="$dir/payload.bin"
head -c $((size << 20)) /dev/urandom > "$payload"
torrent="$dir/payload.torrent"
java -jar "${jars[${labels[0]}]}" create "$payload" -o "$torrent" --piece-size 1M --no-date > /dev/null

lt_port=$((29000 + RANDOM % 500))
if [[ $transport != utp ]]; then
"$interop/seed.py" "$torrent" --save-path "$dir" --seed-mode --utp off --no-dht \
  --encryption disabled --port "$lt_port" --duration 3600 > "$dir/seed-lt.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do grep -q READY "$dir/seed-lt.log" && break; sleep 0.1; done
grep -q READY "$dir/seed-lt.log" || { echo "the libtorrent seed did not start" >&2; exit 1; }
fi

bw_seed() { # jar port -> starts a Bitwright seed, waits until it seeds, prints its pid
  java -jar "$1" seed "$torrent" --dir "$dir" --listen 127.0.0.1 --port "$2" \
    --encryption disabled "${bw_flags[@]}" --timeout 3600 > "$dir/seed-bw.log" 2>&1 &
  local pid=$!
  for _ in $(seq 300); do grep -q "^seeding" "$dir/seed-bw.log" && break; sleep 0.1; done
  grep -q "^seeding" "$dir/seed-bw.log" || { echo "the Bitwright seed did not start" >&2; exit 1; }
  echo "$pid"
}

leech() { # jar port -> "seconds cpu rss_mib"
  local out="$dir/dl" t="$dir/time.txt"
  rm -rf "$out"
  /usr/bin/time -f "%e %U %S %M" -o "$t" java -Xmx64m -jar "$1" download "$torrent" --dir "$out" \
    --peer "127.0.0.1:$2" --encryption disabled "${bw_flags[@]}" --timeout 300 > "$dir/leech.log" 2>&1
  cmp -s "$payload" "$out/$(basename "$payload")" || { echo "WRONG BYTES" >&2; exit 1; }
  rm -rf "$out"
  awk '{printf "%s %.2f %d\n", $1, $2 + $3, $4 / 1024}' "$t"
}

# One uncounted download first: libtorrent's seed mode checks each piece the first time it is
# asked for, which would slow whichever jar came first.
[[ $transport == utp ]] || leech "${jars[${labels[0]}]}" "$lt_port" > /dev/null

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
declare -A secs cpus rss
for ((r = 1; r <= reps; r++)); do
  for label in "${labels[@]}"; do
    jar=${jars[$label]}
    for pair in "${pairs[@]}"; do
      if [[ $pair == lt-bw ]]; then
        read -r s c m < <(leech "$jar" "$lt_port")
      else
        bw_port=$((29500 + RANDOM % 500))
        seed_pid=$(bw_seed "$jar" "$bw_port")
        pids+=("$seed_pid")
        read -r s c m < <(leech "$jar" "$bw_port")
        kill "$seed_pid" 2> /dev/null || true
        wait "$seed_pid" 2> /dev/null || true
      fi
      echo "run $r $label $pair: ${s}s  leecher CPU ${c}s  peak RSS ${m} MiB"
      secs[$label $pair]+="$s "; cpus[$label $pair]+="$c "; rss[$label $pair]+="$m "
    done
  done
done
echo
for pair in "${pairs[@]}"; do
  for label in "${labels[@]}"; do
    s=$(tr ' ' '\n' <<< "${secs[$label $pair]}" | grep . | median)
    c=$(tr ' ' '\n' <<< "${cpus[$label $pair]}" | grep . | median)
    m=$(tr ' ' '\n' <<< "${rss[$label $pair]}" | grep . | median)
    echo "median $pair $label: ${s}s  $(awk -v b=$((size << 20)) -v s="$s" 'BEGIN {printf "%.1f", b / s / 1e6}') MB/s  leecher CPU ${c}s  peak RSS ${m} MiB"
  done
done
