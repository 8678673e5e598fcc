#!/usr/bin/env bash
# Steady-state throughput and CPU of one transfer, Bitwright next to libtorrent, same run.
#
# A single-file torrent of SIZE random bytes (1 MiB pieces) on tmpfs, TCP on 127.0.0.1, plaintext
# on every side. Four pairings, REPS runs each, alternating (lt->lt, lt->bw, bw->lt, bw->bw; the
# seeds run for the whole script, as in session-vs-libtorrent.sh). Each run is measured from
# outside by steady-sample.py: the steady part is from the moment the first GiB of the download is
# on tmpfs to the moment all of it is, so JVM start-up, JIT warm-up and connecting are left out.
# For that part it reports the rate, and the CPU-seconds per GiB of the leecher and of the seed,
# and, for the JVMs, how much of that their JIT compiler threads took ("jit"; libtorrent has none).
# Every download is compared byte for byte with the payload.
#
# Before and after the runs, TransferCalibration measures this machine's limit for one transfer
# (one thread sends through a loopback socket, another receives, copies into pieces and SHA-1s
# them, nothing else); each steady rate is also printed as a share of it.
#
# Usage: benchmarks/steady-state.sh [SIZE_MIB=4096] [REPS=3]
set -euo pipefail
size=${1:-4096}
reps=${2:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
interop="$root/../shared/interop"
jar="$root/examples/target/bitwright.jar"
bench_jar="$root/benchmarks/target/benchmarks.jar"
sampler="$root/benchmarks/steady-sample.py"
dir=/dev/shm/bitwright-steady-bench
[[ -f $jar && -f $bench_jar ]] || { echo "build first: mvn -B -ntp package -DskipTests" >&2; exit 1; }
(( size > 1024 )) || { echo "SIZE_MIB must be more than 1024: the steady part starts after the first GiB" >&2; exit 2; }
mkdir -p "$dir"
payload="$dir/payload-${size}M.bin"
[[ -f $payload && $(stat -c %s "$payload") -eq $((size << 20)) ]] || head -c $((size << 20)) /dev/urandom > "$payload"
torrent="$dir/payload.torrent"
java -jar "$jar" create "$payload" -o "$torrent" --piece-size 1M --no-date > /dev/null
bytes=$((size << 20))
mark=$((1 << 30))

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

calibrate() {
  java -cp "$bench_jar" dev.bitwright.benchmarks.TransferCalibration 1024 3 | tail -1 | sed 's/.*MB\/s=\([0-9.]*\).*/\1/'
}

declare -A seed_pid
start_seed() { # kind port
  local kind=$1 port=$2 log="$dir/seed-$1.log"
  if [[ $kind == lt ]]; then
    "$interop/seed.py" "$torrent" --save-path "$dir" --seed-mode --utp off --no-dht --encryption disabled --port "$port" --duration 3600 > "$log" 2>&1 &
    seed_pid[$kind]=$!
    for _ in $(seq 100); do grep -q READY "$log" && break; sleep 0.1; done
  else
    java -jar "$jar" seed "$torrent" --dir "$dir" --port "$port" --encryption disabled --no-utp --timeout 3600 > "$log" 2>&1 &
    seed_pid[$kind]=$!
    for _ in $(seq 300); do grep -q "^seeding" "$log" && break; sleep 0.1; done
  fi
  pids+=("${seed_pid[$kind]}")
}

leech() { # seed-kind leech-kind port -> the sampler's line
  local seed=$1 kind=$2 port=$3 out="$dir/dl-$2"
  rm -rf "$out"
  local command
  if [[ $kind == lt ]]; then
    command=("$interop/leech.py" "$torrent" --peer "127.0.0.1:$port" --save-path "$out" --utp off
      --no-trackers --no-dht --encryption disabled --timeout 600)
  else
    command=(java -Xmx64m -jar "$jar" download "$torrent" --dir "$out" --peer "127.0.0.1:$port"
      --encryption disabled --no-utp --timeout 600)
  fi
  "$sampler" --file "$out/$(basename "$payload")" --size "$bytes" --mark "$mark" \
    --seed-pid "${seed_pid[$seed]}" -- "${command[@]}"
  cmp -s "$payload" "$out/$(basename "$payload")" || { echo "WRONG BYTES ($seed->$kind)" >&2; exit 1; }
  rm -rf "$out"
}

field() { sed "s/.*$1=\([0-9.]*\).*/\1/"; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
per_gib() { awk -v c="$1" -v b=$((bytes - mark)) 'BEGIN {printf "%.2f", c * 1073741824 / b}'; }

calibration_before=$(calibrate)
echo "calibration before: $calibration_before MB/s"
start_seed lt 27011
start_seed bw 27012
steady_gib=$(awk -v b=$((bytes - mark)) 'BEGIN {printf "%.2f", b / 1073741824}')
declare -A rates lcpu scpu ljit sjit
for ((r = 1; r <= reps; r++)); do
  for pair in lt-lt lt-bw bw-lt bw-bw; do
    seed=${pair%-*}; leecher=${pair#*-}
    port=$([[ $seed == lt ]] && echo 27011 || echo 27012)
    line=$(leech "$seed" "$leecher" "$port")
    echo "run $r $seed->$leecher: $line"
    rates[$pair]+="$(field steady_MBps <<< "$line") "
    lcpu[$pair]+="$(per_gib "$(field leech_steady_cpu_s <<< "$line")") "
    scpu[$pair]+="$(per_gib "$(field seed_steady_cpu_s <<< "$line")") "
    ljit[$pair]+="$(per_gib "$(field leech_steady_jit_s <<< "$line")") "
    sjit[$pair]+="$(per_gib "$(field seed_steady_jit_s <<< "$line")") "
  done
done
kill "${pids[@]}" 2>/dev/null || true
wait 2>/dev/null || true
pids=()
calibration_after=$(calibrate)
echo "calibration after: $calibration_after MB/s"
limit=$(printf '%s\n%s\n' "$calibration_before" "$calibration_after" | median)
echo
echo "steady part: the last $steady_gib GiB of $size MiB; machine limit (calibration, median): $limit MB/s"
for pair in lt-lt lt-bw bw-lt bw-bw; do
  rate=$(tr ' ' '\n' <<< "${rates[$pair]}" | grep . | median)
  lc=$(tr ' ' '\n' <<< "${lcpu[$pair]}" | grep . | median)
  sc=$(tr ' ' '\n' <<< "${scpu[$pair]}" | grep . | median)
  lj=$(tr ' ' '\n' <<< "${ljit[$pair]}" | grep . | median)
  sj=$(tr ' ' '\n' <<< "${sjit[$pair]}" | grep . | median)
  printf "median %s: %s MB/s (%s%% of the limit)  leecher %s CPU-s/GiB (jit %s)  seed %s CPU-s/GiB (jit %s)\n" \
    "${pair/-/->}" "$rate" "$(awk -v r="$rate" -v l="$limit" 'BEGIN {printf "%.0f", 100 * r / l}')" \
    "$lc" "$lj" "$sc" "$sj"
done
