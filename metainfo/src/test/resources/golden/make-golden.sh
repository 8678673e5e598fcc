#!/bin/bash
# Regenerates the golden torrents of this folder with other tools (Debian 12 packages mktorrent,
# transmission-cli and python3-libtorrent) and records the info-hashes those tools report in
# expected.tsv. Run from this folder: ./make-golden.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$here/payload.py" "$work/data"
cd "$work/data"
show_hash() { transmission-show "$1" | awk '/^  Hash:/ {print $2; exit}'; }

mktorrent -d -l 15 -a http://127.0.0.1:6969/announce -o "$here/mk-single.torrent" single.bin >/dev/null
mktorrent -d -p -l 16 -a http://127.0.0.1:6969/announce -o "$here/mk-single-private.torrent" single.bin >/dev/null
mktorrent -d -l 15 -a http://a.example/announce,http://b.example/announce -a udp://c.example:80 \
  -w http://ws.example/files/ -c "golden multi" -o "$here/mk-multi.torrent" multi >/dev/null
transmission-create -s 16 -t http://127.0.0.1:6969/announce -o "$here/tr-single.torrent" single.bin >/dev/null
transmission-create -p -s 32 -t http://a.example/announce -t http://b.example/announce -c "hi" \
  -o "$here/tr-multi.torrent" multi >/dev/null

{
  printf 'file\tcreator\tv1\tv2\tpiece_length\n'
  printf 'mk-single.torrent\tmktorrent\t%s\t-\t32768\n' "$(show_hash "$here/mk-single.torrent")"
  printf 'mk-single-private.torrent\tmktorrent\t%s\t-\t65536\n' "$(show_hash "$here/mk-single-private.torrent")"
  printf 'mk-multi.torrent\tmktorrent\t%s\t-\t32768\n' "$(show_hash "$here/mk-multi.torrent")"
  printf 'tr-single.torrent\ttransmission\t%s\t-\t16384\n' "$(show_hash "$here/tr-single.torrent")"
  printf 'tr-multi.torrent\ttransmission\t%s\t-\t32768\n' "$(show_hash "$here/tr-multi.torrent")"
  /usr/bin/python3 "$here/lt_make.py" "$work/data" "$here"
} > "$here/expected.tsv"
cat "$here/expected.tsv"
