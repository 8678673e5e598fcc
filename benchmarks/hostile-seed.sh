#!/usr/bin/env bash
# A Bitwright seed under cheap attacks, and the honest leechers it still serves.
#
# For each attack of HostileNetwork (idle connect/close cycles, a ut_metadata flood, slot hogs that
# never read, a 2,000-connection storm, a reconnecting slowloris; attackers on 127.0.0.2), a fresh
# `bitwright seed` of a 64 MiB torrent (tmpfs, 127.0.0.1) is attacked for 5 s, then an honest
# Bitwright leecher and an honest libtorrent leecher (../shared/interop/leech.py) each download the
# torrent while the attack goes on. Their times are compared with the same leechers against an
# unattacked seed; the seed's peak RSS is read from /proc, and whether it still runs.
# Every download is compared byte for byte with the payload.
#
# Usage: benchmarks/hostile-seed.sh [HEAP=default|256m] [SIZE_MIB=64]
set -euo pipefail
heap=${1:-default}
size=${2:-64}
root=$(cd "$(dirname "$0")/.." && pwd)
interop="$root/../shared/interop"
jar="$root/examples/target/bitwright.jar"
bench="$root/benchmarks/target/benchmarks.jar"
dir=/dev/shm/bitwright-hostile
[[ -f $jar && -f $bench ]] || { echo "build first: mvn -B -ntp package -DskipTests" >&2; exit 1; }
mkdir -p "$dir"
payload="$dir/payload-${size}M.bin"
[[ -f $payload && $(stat -c %s "$payload") -eq $((size << 20)) ]] || head -c $((size << 20)) /dev/urandom > "$payload"
torrent="$dir/payload.torrent"
java -jar "$jar" create "$payload" -o "$torrent" --piece-size 256K --no-date > /dev/null
xmx=()
[[ $heap == default ]] || xmx=("-Xmx$heap")

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

start_seed() { # port -> sets seed_pid
  local port=$1 log="$dir/seed.log"
  java "${xmx[@]}" -jar "$jar" seed "$torrent" --dir "$dir" --listen 127.0.0.1 --port "$port" \
    --timeout 600 > "$log" 2>&1 &
  seed_pid=$!
  pids+=("$seed_pid")
  for _ in $(seq 300); do grep -q "^seeding" "$log" && return; sleep 0.1; done
  echo "the seed did not start" >&2; exit 1
}

leech() { # kind port -> seconds (or "fail")
  local kind=$1 port=$2 out="$dir/dl-$1" start end
  rm -rf "$out"
  start=$(date +%s.%N)
  if [[ $kind == lt ]]; then
    "$interop/leech.py" "$torrent" --peer "127.0.0.1:$port" --save-path "$out" --utp off \
      --no-trackers --no-dht --timeout 120 > "$dir/leech.log" 2>&1 || { echo fail; return; }
  else
    java -jar "$jar" download "$torrent" --dir "$out" --peer "127.0.0.1:$port" --listen 127.0.0.1 \
      --timeout 120 > "$dir/leech.log" 2>&1 || { echo fail; return; }
  fi
  end=$(date +%s.%N)
  cmp -s "$payload" "$out/$(basename "$payload")" || { echo "WRONG BYTES ($kind leech)" >&2; exit 1; }
  rm -rf "$out"
  awk -v a="$start" -v b="$end" 'BEGIN {printf "%.2f", b - a}'
}

peak_rss_mib() { awk '/VmHWM/ {printf "%d", $2 / 1024}' "/proc/$1/status" 2>/dev/null || echo gone; }

port=28100
printf "%-10s %8s %8s %8s %8s %10s %6s\n" attack bw_clean bw_hit lt_clean lt_hit seed_rss alive
for attack in none idle metadata hogs storm slowloris; do
  port=$((port + 1))
  start_seed "$port"
  bw_clean=$(leech bw "$port")
  lt_clean=$(leech lt "$port")
  attacker=""
  if [[ $attack != none ]]; then
    java -cp "$bench" dev.bitwright.benchmarks.HostileNetwork "$attack" "$port" "$torrent" \
      > "$dir/attack.log" 2>&1 &
    attacker=$!
    pids+=("$attacker")
    sleep 5
  fi
  bw_hit=$(leech bw "$port")
  lt_hit=$(leech lt "$port")
  rss=$(peak_rss_mib "$seed_pid")
  alive=$(kill -0 "$seed_pid" 2>/dev/null && echo yes || echo NO)
  [[ -z $attacker ]] || kill "$attacker" 2>/dev/null || true
  kill "$seed_pid" 2>/dev/null || true
  wait "$seed_pid" 2>/dev/null || true
  printf "%-10s %8s %8s %8s %8s %7s MiB %6s\n" "$attack" "$bw_clean" "$bw_hit" "$lt_clean" "$lt_hit" "$rss" "$alive"
done
