#!/usr/bin/env bash
# Disk throughput of Bitwright's storage next to a dd baseline on the same disk, same run.
#
# Write: dd writes the same number of bytes in 16 KiB blocks, sequentially, into one file and
# fdatasyncs; bitwright writes a multi-file torrent in 16 KiB blocks in random piece order and
# forces every file. Read (uploads): caches are dropped first; dd reads the files sequentially in
# 16 KiB blocks to /dev/null; bitwright uploads every piece in random order with transferBlock
# (FileChannel.transferTo) into a loopback socket.
#
# Check: a full recheck (FileCheck, 2 lanes) of the written files with the data in the page cache.
#
# Usage: benchmarks/storage-vs-dd.sh [DIR=/var/tmp/bitwright-storage-bench] [SIZE_MIB=4096] [FILES=16] [PIECE_KIB=1024]
# Needs root for dropping the page cache (echo 3 > /proc/sys/vm/drop_caches); without it, reads
# come from the cache and the figures say so.
set -euo pipefail
dir=${1:-/var/tmp/bitwright-storage-bench}
size=${2:-4096}
files=${3:-16}
piece=${4:-1024}
root=$(cd "$(dirname "$0")/.." && pwd)
jar="$root/benchmarks/target/benchmarks.jar"
[[ -f $jar ]] || { echo "build first: mvn -B -ntp package -DskipTests" >&2; exit 1; }
drop() {
  sync
  if [[ -w /proc/sys/vm/drop_caches ]]; then echo 3 > /proc/sys/vm/drop_caches; else echo "(page cache not dropped)"; fi
}
rate() { awk -v b="$1" -v s="$2" 'BEGIN {printf "%.1f", b / s / 1e6}'; }
seconds() { /usr/bin/time -f %e "$@" 2>&1 >/dev/null | tail -1; }

rm -rf "$dir"; mkdir -p "$dir/dd" "$dir/bw"
bytes=$((size << 20))
drop
t=$(seconds dd if=/dev/zero of="$dir/dd/baseline.bin" bs=16k count=$((bytes / 16384)) conv=fdatasync status=none)
echo "dd write        MB/s=$(rate $bytes "$t") seconds=$t"
drop
java -cp "$jar" dev.bitwright.benchmarks.StorageThroughput "$dir/bw" "$size" "$files" "$piece" write | sed 's/^/bitwright /'
drop
t=$(seconds dd if="$dir/dd/baseline.bin" of=/dev/null bs=16k status=none)
echo "dd read         MB/s=$(rate $bytes "$t") seconds=$t"
drop
java -cp "$jar" dev.bitwright.benchmarks.StorageThroughput "$dir/bw" "$size" "$files" "$piece" read | sed 's/^/bitwright /'
# Recheck with the data in the page cache (read once more first so it is cached).
cat "$dir"/bw/storage-bench/*/* > /dev/null
java -cp "$jar" dev.bitwright.benchmarks.StorageThroughput "$dir/bw" "$size" "$files" "$piece" check | sed 's/^/bitwright /'
rm -rf "$dir"
