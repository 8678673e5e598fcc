#!/usr/bin/env bash
# uTP goodput through an impaired path: a user-space relay (dev.bitwright.benchmarks.ImpairedUdpRelay,
# bitwright-testing's UdpImpairmentRelay) adds DELAY_MS one way (so twice that round trip) and drops
# LOSS of the datagrams each way, between a seed and a leech on 127.0.0.1, TCP off on every side so
# that only uTP carries bytes. Four pairings, one run each: lt->lt (libtorrent's uTP on both ends,
# ../shared/interop/seed.py and leech.py), lt->bw, bw->lt, bw->bw. Each run times the leecher from
# launch to every piece verified and compares the file with the payload; the relay's counters
# (datagrams received, forwarded, dropped) follow each run.
#
# Usage: benchmarks/utp-impaired.sh [SIZE_MIB=16] [DELAY_MS=20] [LOSS=0.01]
set -euo pipefail
size=${1:-16}
delay=${2:-20}
loss=${3:-0.01}
root=$(cd "$(dirname "$0")/.." && pwd)
interop="$root/../shared/interop"
jar="$root/examples/target/bitwright.jar"
bench="$root/benchmarks/target/benchmarks.jar"
dir=/dev/shm/bitwright-utp-impaired
[[ -f $jar && -f $bench ]] || { echo "build first: mvn -B -ntp package -DskipTests" >&2; exit 1; }
mkdir -p "$dir"
payload="$dir/payload-${size}M.bin"
[[ -f $payload && $(stat -c %s "$payload") -eq $((size << 20)) ]] || head -c $((size << 20)) /dev/urandom > "$payload"
torrent="$dir/payload.torrent"
java -jar "$jar" create "$payload" -o "$torrent" --piece-size 256K --no-date > /dev/null

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

start_seed() { # kind port
  local kind=$1 port=$2 log="$dir/seed-$1.log"
  if [[ $kind == lt ]]; then
    "$interop/seed.py" "$torrent" --save-path "$dir" --seed-mode --utp only --no-dht --encryption disabled --port "$port" --duration 3600 > "$log" 2>&1 &
    pids+=($!)
    for _ in $(seq 100); do grep -qs READY "$log" && break; sleep 0.1; done
  else
    java -jar "$jar" seed "$torrent" --dir "$dir" --port "$port" --encryption disabled --no-tcp --timeout 3600 > "$log" 2>&1 &
    pids+=($!)
    for _ in $(seq 300); do grep -qs "^seeding" "$log" && break; sleep 0.1; done
  fi
}

start_seed lt 27101
start_seed bw 27102
for pair in lt-lt lt-bw bw-lt bw-bw; do
  seed=${pair%-*}; leecher=${pair#*-}
  target=$([[ $seed == lt ]] && echo 27101 || echo 27102)
  relay_log="$dir/relay.log"
  java -cp "$bench" dev.bitwright.benchmarks.ImpairedUdpRelay "$target" "$delay" "$loss" 16 > "$relay_log" 2>&1 &
  relay=$!
  for _ in $(seq 100); do grep -q READY "$relay_log" && break; sleep 0.1; done
  port=$(awk '/READY/ {print $2}' "$relay_log")
  out="$dir/dl-$leecher"
  rm -rf "$out"
  start=$(date +%s.%N)
  if [[ $leecher == lt ]]; then
    "$interop/leech.py" "$torrent" --peer "127.0.0.1:$port" --save-path "$out" --utp only --no-trackers \
      --no-dht --encryption disabled --timeout 1200 > "$dir/leech.log" 2>&1
  else
    java -jar "$jar" download "$torrent" --dir "$out" --peer "127.0.0.1:$port" --encryption disabled \
      --no-tcp --timeout 1200 > "$dir/leech.log" 2>&1
  fi
  end=$(date +%s.%N)
  kill "$relay"; wait "$relay" 2>/dev/null || true
  cmp -s "$payload" "$out/$(basename "$payload")" || { echo "WRONG BYTES ($pair)" >&2; exit 1; }
  rm -rf "$out"
  awk -v a="$start" -v b="$end" -v n=$((size << 20)) -v p="$pair" -v d="$delay" -v l="$loss" \
    'BEGIN {printf "%s: %.1f s  %.2f MB/s  (RTT %d ms, loss %s each way)\n", p, b - a, n / (b - a) / 1e6, 2 * d, l}'
  grep STATS "$relay_log" | sed 's/^/  relay /'
done
