#!/usr/bin/env bash
# Many peers: one seed and LEECHERS leechers on 127.0.0.1, a Bitwright swarm next to a libtorrent
# swarm, same run, alternating.
#
# A single-file torrent of SIZE random bytes in 256 KiB pieces on tmpfs, TCP only, plaintext on
# every side. The seed runs in its own process; the leechers share one process (Bitwright:
# SwarmBenchmark, one TorrentSession each; libtorrent: lt-swarm.py, one lt.session each), each
# told of the seed and of every other leecher, as a tracker would tell them. For each run:
#   swarm_s     from adding the torrents to the moment the last leecher has every piece verified
#   seed_cpu_s  the seed process's CPU time over that span (from /proc)
#   leech_cpu_s the leechers' process's CPU time, start-up included (from /usr/bin/time)
#   seed_share  the seed's uploaded payload bytes (its own count, printed when it stops) over
#               LEECHERS x SIZE: the share of what the leechers downloaded that came from the seed
# Every leecher's file is compared byte for byte with the payload.
#
# Usage: benchmarks/swarm.sh [SIZE_MIB=256] [LEECHERS=40] [REPS=3]
set -euo pipefail
size=${1:-256}
count=${2:-40}
reps=${3:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
interop="$root/../shared/interop"
jar="$root/examples/target/bitwright.jar"
bench_jar="$root/benchmarks/target/benchmarks.jar"
dir=/dev/shm/bitwright-swarm-bench
[[ -f $jar && -f $bench_jar ]] || { echo "build first: mvn -B -ntp package -DskipTests" >&2; exit 1; }
mkdir -p "$dir"
payload="$dir/payload-${size}M.bin"
[[ -f $payload && $(stat -c %s "$payload") -eq $((size << 20)) ]] || head -c $((size << 20)) /dev/urandom > "$payload"
torrent="$dir/payload.torrent"
java -jar "$jar" create "$payload" -o "$torrent" --piece-size 256K --no-date > /dev/null
seed_port=27031
first_port=27100
name=$(basename "$payload")

seed_pid=""
cleanup() { [[ -z $seed_pid ]] || kill "$seed_pid" 2>/dev/null || true; rm -rf "$dir/leechers"; }
trap cleanup EXIT

cpu_of() { awk '{print $14 + $15}' "/proc/$1/stat"; }
ticks=$(getconf CLK_TCK)

run() { # kind -> one result line
  local kind=$1 log="$dir/seed-$1.log" out="$dir/leechers-$1.log"
  rm -rf "$dir/leechers"
  if [[ $kind == lt ]]; then
    "$interop/seed.py" "$torrent" --save-path "$dir" --seed-mode --utp off --no-dht \
      --encryption disabled --port "$seed_port" --duration 3600 --status-interval 0 > "$log" 2>&1 &
    seed_pid=$!
    for _ in $(seq 100); do grep -q READY "$log" && break; sleep 0.1; done
  else
    java -cp "$bench_jar" dev.bitwright.benchmarks.SwarmBenchmark seed "$torrent" "$dir" "$seed_port" > "$log" 2>&1 &
    seed_pid=$!
    for _ in $(seq 300); do grep -q '^ready' "$log" && break; sleep 0.1; done
  fi
  local cpu_before
  cpu_before=$(cpu_of "$seed_pid")
  local command
  if [[ $kind == lt ]]; then
    command=("$root/benchmarks/lt-swarm.py" "$torrent" "$dir/leechers" "$seed_port" "$first_port" "$count" 600)
  else
    command=(java -Xmx1g -cp "$bench_jar" dev.bitwright.benchmarks.SwarmBenchmark leechers "$torrent"
      "$dir/leechers" "$seed_port" "$first_port" "$count" 600)
  fi
  /usr/bin/time -f 'leech_cpu_s=%U+%S' -o "$dir/time-$kind" "${command[@]}" > "$out" 2>&1 \
    || { echo "$kind swarm failed:" >&2; tail -5 "$out" >&2; exit 1; }
  local cpu_after
  cpu_after=$(cpu_of "$seed_pid")
  kill -TERM "$seed_pid"
  wait "$seed_pid" 2>/dev/null || true
  seed_pid=""
  local uploaded
  uploaded=$(grep -o 'uploaded=[0-9]*' "$log" | tail -1 | cut -d= -f2)
  for ((i = 0; i < count; i++)); do
    cmp -s "$payload" "$dir/leechers/$i/$name" || { echo "WRONG BYTES ($kind leecher $i)" >&2; exit 1; }
  done
  local swarm leech_cpu
  swarm=$(grep -o 'swarm_s=[0-9.]*' "$out" | cut -d= -f2)
  leech_cpu=$(sed 's/leech_cpu_s=//' "$dir/time-$kind" | tail -1 | bc)
  awk -v k="$kind" -v s="$swarm" -v c0="$cpu_before" -v c1="$cpu_after" -v t="$ticks" -v l="$leech_cpu" \
    -v u="$uploaded" -v total=$((count * (size << 20))) 'BEGIN {
      printf "%s swarm_s=%s seed_cpu_s=%.2f leech_cpu_s=%.2f seed_share=%.3f\n", k, s, (c1 - c0) / t, l, u / total }'
}

field() { sed "s/.*$1=\([0-9.]*\).*/\1/"; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
declare -A lines
for ((r = 1; r <= reps; r++)); do
  for kind in lt bw; do
    line=$(run "$kind")
    echo "run $r $line"
    lines[$kind]+="$line"$'\n'
  done
done
echo
echo "1 seed, $count leechers, $size MiB, 256 KiB pieces (medians of $reps runs)"
for kind in lt bw; do
  printf "median %s: swarm %s s  seed CPU %s s  leechers' CPU %s s  from the seed %s\n" "$kind" \
    "$(grep . <<< "${lines[$kind]}" | field swarm_s | median)" \
    "$(grep . <<< "${lines[$kind]}" | field seed_cpu_s | median)" \
    "$(grep . <<< "${lines[$kind]}" | field leech_cpu_s | median)" \
    "$(grep . <<< "${lines[$kind]}" | field seed_share | median)"
done
lt=$(grep . <<< "${lines[lt]}" | field swarm_s | median)
bw=$(grep . <<< "${lines[bw]}" | field swarm_s | median)
awk -v a="$lt" -v b="$bw" 'BEGIN {printf "Bitwright swarm %.2fx as fast as the libtorrent swarm (goal 1.5x)\n", a / b}'
