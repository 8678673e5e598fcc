#!/usr/bin/env bash
# Whole-process comparison of `bitwright create` against mktorrent on the same file, same machine,
# same run: a v1 torrent of one SIZE_GIB file of random bytes on tmpfs, 2 MiB pieces, default
# threads for both, RUNS alternating runs. Prints each run, the medians and the ratio.
#
# Usage: benchmarks/create-vs-mktorrent.sh [SIZE_GIB=4] [RUNS=5]
# Needs: mktorrent (Debian package), /usr/bin/time, and `mvn package` done (examples/target/bitwright.jar).
set -euo pipefail
size_gib=${1:-4}
runs=${2:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
jar="$root/examples/target/bitwright.jar"
dir=/dev/shm/bitwright-bench
file="$dir/payload-${size_gib}G.bin"
[[ -f $jar ]] || { echo "build first: mvn -B -ntp package -DskipTests" >&2; exit 1; }
command -v mktorrent >/dev/null || { echo "needs mktorrent (apt-get install mktorrent)" >&2; exit 1; }
mkdir -p "$dir"
if [[ ! -f $file || $(stat -c %s "$file") -ne $((size_gib << 30)) ]]; then
  head -c $((size_gib << 30)) /dev/urandom > "$file"
fi

seconds() { /usr/bin/time -f %e "$@" 2>&1 >/dev/null | tail -1; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

mk=(); bw=()
for ((i = 1; i <= runs; i++)); do
  rm -f "$dir/mk.torrent" "$dir/bw.torrent"
  m=$(seconds mktorrent -l 21 -a http://127.0.0.1:6969/announce -o "$dir/mk.torrent" "$file")
  b=$(seconds java -jar "$jar" create "$file" -o "$dir/bw.torrent" --piece-size 2M \
        --tracker http://127.0.0.1:6969/announce)
  echo "run $i: mktorrent ${m}s  bitwright ${b}s"
  mk+=("$m"); bw+=("$b")
done
hash_mk=$(java -jar "$jar" info --json "$dir/mk.torrent" | sed 's/.*"infoHashV1":"\([0-9a-f]*\)".*/\1/')
hash_bw=$(java -jar "$jar" info --json "$dir/bw.torrent" | sed 's/.*"infoHashV1":"\([0-9a-f]*\)".*/\1/')
[[ $hash_mk == "$hash_bw" ]] || { echo "info-hashes differ: $hash_mk vs $hash_bw" >&2; exit 1; }
mk_med=$(printf '%s\n' "${mk[@]}" | median)
bw_med=$(printf '%s\n' "${bw[@]}" | median)
echo "same info-hash: $hash_bw"
echo "median over $runs runs: mktorrent ${mk_med}s  bitwright ${bw_med}s  ratio $(awk -v b="$bw_med" -v m="$mk_med" 'BEGIN {printf "%.2f", b / m}')"
rm -f "$dir/mk.torrent" "$dir/bw.torrent"
