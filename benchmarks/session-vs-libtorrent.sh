#!/usr/bin/env bash
# Transfer throughput of the Bitwright session next to libtorrent, same machine, same run.
#
# A single-file torrent of SIZE random bytes (1 MiB pieces) on tmpfs, on 127.0.0.1 over TRANSPORT
# (tcp: every side with uTP off; utp: every side with TCP off, so that only uTP carries bytes), no
# encryption on any side (plaintext handshakes: with libtorrent's default, an MSE handshake that
# then selects plaintext, a side set to "disabled" is first refused and dialled again later). Four pairings, REPS runs each, alternating:
#   lt->lt  libtorrent seed -> libtorrent leech     (the baseline)
#   lt->bw  libtorrent seed -> Bitwright leech      (bitwright download, java -Xmx64m)
#   bw->lt  Bitwright seed  -> libtorrent leech
#   bw->bw  Bitwright seed  -> Bitwright leech
# Each run times the leecher process end to end (launch to every piece verified), takes its CPU
# seconds and peak RSS from /usr/bin/time, and compares the downloaded file with the payload.
# The libtorrent sides are ../shared/interop/seed.py and leech.py (python3-libtorrent 2.0).
#
# Usage: benchmarks/session-vs-libtorrent.sh [SIZE_MIB=1024] [REPS=3] [TRANSPORT=tcp|utp]
set -euo pipefail
size=${1:-1024}
reps=${2:-3}
transport=${3:-tcp}
case $transport in
  tcp) lt_utp=off; bw_transport=--no-utp ;;
  utp) lt_utp=only; bw_transport=--no-tcp ;;
  *) echo "TRANSPORT is tcp or utp" >&2; exit 2 ;;
esac
root=$(cd "$(dirname "$0")/.." && pwd)
interop="$root/../shared/interop"
jar="$root/examples/target/bitwright.jar"
dir=/dev/shm/bitwright-session-bench
[[ -f $jar ]] || { echo "build first: mvn -B -ntp package -DskipTests" >&2; exit 1; }
mkdir -p "$dir"
payload="$dir/payload-${size}M.bin"
[[ -f $payload && $(stat -c %s "$payload") -eq $((size << 20)) ]] || head -c $((size << 20)) /dev/urandom > "$payload"
torrent="$dir/payload.torrent"
java -jar "$jar" create "$payload" -o "$torrent" --piece-size 1M --no-date > /dev/null

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

start_seed() { # kind port -> prints the port once the seed is ready
  local kind=$1 port=$2 log="$dir/seed-$1.log"
  if [[ $kind == lt ]]; then
    "$interop/seed.py" "$torrent" --save-path "$dir" --seed-mode --utp "$lt_utp" --no-dht --encryption disabled --port "$port" --duration 3600 > "$log" 2>&1 &
    pids+=($!)
    for _ in $(seq 100); do grep -q READY "$log" && break; sleep 0.1; done
  else
    java -jar "$jar" seed "$torrent" --dir "$dir" --port "$port" --encryption disabled "$bw_transport" --timeout 3600 > "$log" 2>&1 &
    pids+=($!)
    for _ in $(seq 300); do grep -q "^seeding" "$log" && break; sleep 0.1; done
  fi
}

leech() { # kind port -> "seconds cpu rss_mib"
  local kind=$1 port=$2 out="$dir/dl-$1"
  rm -rf "$out"
  local t="$dir/time.txt"
  if [[ $kind == lt ]]; then
    /usr/bin/time -f "%e %U %S %M" -o "$t" "$interop/leech.py" "$torrent" --peer "127.0.0.1:$port" \
      --save-path "$out" --utp "$lt_utp" --no-trackers --no-dht --encryption disabled --timeout 300 > "$dir/leech.log" 2>&1
  else
    /usr/bin/time -f "%e %U %S %M" -o "$t" java -Xmx64m -jar "$jar" download "$torrent" --dir "$out" \
      --peer "127.0.0.1:$port" --encryption disabled "$bw_transport" --timeout 300 > "$dir/leech.log" 2>&1
  fi
  cmp -s "$payload" "$out/$(basename "$payload")" || { echo "WRONG BYTES ($kind leech)" >&2; exit 1; }
  rm -rf "$out"
  awk '{printf "%s %.2f %d\n", $1, $2 + $3, $4 / 1024}' "$t"
}

start_seed lt 27001
start_seed bw 27002
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
declare -A secs cpus rss
for ((r = 1; r <= reps; r++)); do
  for pair in lt-lt lt-bw bw-lt bw-bw; do
    seed=${pair%-*}; leecher=${pair#*-}
    port=$([[ $seed == lt ]] && echo 27001 || echo 27002)
    read -r s c m < <(leech "$leecher" "$port")
    echo "run $r $seed->$leecher: ${s}s  $(awk -v b=$((size << 20)) -v s="$s" 'BEGIN {printf "%.1f", b / s / 1e6}') MB/s  leecher CPU ${c}s  peak RSS ${m} MiB"
    secs[$pair]+="$s "; cpus[$pair]+="$c "; rss[$pair]+="$m "
  done
done
echo
for pair in lt-lt lt-bw bw-lt bw-bw; do
  s=$(tr ' ' '\n' <<< "${secs[$pair]}" | grep . | median)
  c=$(tr ' ' '\n' <<< "${cpus[$pair]}" | grep . | median)
  m=$(tr ' ' '\n' <<< "${rss[$pair]}" | grep . | median)
  printf "median %s: %ss  %s MB/s  CPU %ss (%s s/GiB)  RSS %s MiB\n" "$pair" "$s" \
    "$(awk -v b=$((size << 20)) -v s="$s" 'BEGIN {printf "%.1f", b / s / 1e6}')" "$c" \
    "$(awk -v c="$c" -v z="$size" 'BEGIN {printf "%.2f", c * 1024 / z}')" "$m"
  eval "med_${pair/-/_}=$s"
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
echo "Bitwright leecher vs libtorrent leecher (same lt seed): $(ratio "$med_lt_lt" "$med_lt_bw")x"
echo "Bitwright seed -> lt vs lt seed -> lt: $(ratio "$med_lt_lt" "$med_bw_lt")x"
echo "Bitwright -> Bitwright vs lt -> lt: $(ratio "$med_lt_lt" "$med_bw_bw")x"
