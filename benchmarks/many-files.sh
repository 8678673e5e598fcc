#!/usr/bin/env bash
# A torrent of many tiny files: the cost per file of a Bitwright leecher and seed.
#
# Creates COUNT one-byte files in 10 folders on tmpfs, makes a torrent of them with `bitwright
# create` (16 KiB pieces), seeds it with `bitwright seed` on 127.0.0.1 and downloads it with
# `bitwright download`, each a whole process. Prints the leecher's wall time and peak RSS
# (/usr/bin/time) and the seed's peak RSS (VmHWM from /proc). Every downloaded file is compared
# with its original.
#
# Usage: benchmarks/many-files.sh [COUNT=100000] [HEAP=default|256m]
set -euo pipefail
count=${1:-100000}
heap=${2:-default}
root=$(cd "$(dirname "$0")/.." && pwd)
jar="$root/examples/target/bitwright.jar"
dir=/dev/shm/bitwright-many-files
[[ -f $jar ]] || { echo "build first: mvn -B -ntp package -DskipTests" >&2; exit 1; }
command -v /usr/bin/time > /dev/null || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
xmx=()
[[ $heap == default ]] || xmx=("-Xmx$heap")
rm -rf "$dir"
mkdir -p "$dir/seed/data"
python3 - "$dir/seed/data" "$count" <<'PY'
import os, sys
root, count = sys.argv[1], int(sys.argv[2])
for i in range(count):
    folder = os.path.join(root, "d%d" % (i % 10))
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "f%06d" % i), "wb") as f:
        f.write(bytes([i % 251]))
PY
torrent="$dir/data.torrent"
(cd "$dir/seed" && java -jar "$jar" create data -o "$torrent" --piece-size 16K --no-date > /dev/null)

seed_pid=
cleanup() { [[ -z $seed_pid ]] || kill "$seed_pid" 2>/dev/null || true; }
trap cleanup EXIT
port=29001
java "${xmx[@]}" -jar "$jar" seed "$torrent" --dir "$dir/seed" --listen 127.0.0.1 --port "$port" \
  --timeout 600 > "$dir/seed.log" 2>&1 &
seed_pid=$!
for _ in $(seq 600); do grep -q "^seeding" "$dir/seed.log" && break; sleep 0.1; done
grep -q "^seeding" "$dir/seed.log" || { echo "the seed did not start" >&2; cat "$dir/seed.log" >&2; exit 1; }

/usr/bin/time -f "%e %M" -o "$dir/time" java "${xmx[@]}" -jar "$jar" download "$torrent" \
  --dir "$dir/out" --peer "127.0.0.1:$port" --listen 127.0.0.1 --timeout 300 > "$dir/leech.log" 2>&1 \
  || { echo "the download failed" >&2; cat "$dir/leech.log" >&2; exit 1; }
seed_rss=$(awk '/VmHWM/ {print $2}' "/proc/$seed_pid/status")
diff -r "$dir/seed/data" "$dir/out/data" > /dev/null || { echo "WRONG BYTES" >&2; exit 1; }
read -r seconds leech_rss < "$dir/time"
printf "files %d  heap %s  leecher %.2f s, peak RSS %d MB  seed peak RSS %d MB\n" \
  "$count" "$heap" "$seconds" $((leech_rss / 1000)) $((seed_rss / 1000))
rm -rf "$dir"
