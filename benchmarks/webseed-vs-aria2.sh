#!/usr/bin/env bash
# Downloading from a web seed (BEP 19) alone: Bitwright next to aria2c and curl, same run.
#
# A payload of SIZE random bytes in 8 files of equal size (folder `payload`, on tmpfs) is served
# by nginx on 127.0.0.1 (started here with its own configuration and prefix in the temporary
# folder, one worker, sendfile, no access log). The torrent is made by `bitwright create` (v1,
# 1 MiB pieces) with `--web-seed http://127.0.0.1:PORT/`: for a multi-file torrent the web seed
# URL names the folder above the torrent's folder. There are no trackers, no DHT and no peers:
# the torrent's url-list is the only source. For every round, in turn:
#   bitwright   java -Xmx64m -jar bitwright.jar download T --dir OUT --listen 127.0.0.1 --timeout 300
#   aria2c      aria2c T (DHT, LPD and peer exchange off, --seed-time=0, no preallocation,
#               otherwise aria2's defaults: one connection per server)
#   curl        one curl process fetching the 8 files over one keep-alive connection (plain HTTP)
#   curl+sha1   the same, then sha1sum of the 8 files (HTTP, then hashing)
#   curl|sha1   per file `curl URL | tee FILE | sha1sum` (HTTP and hashing overlapped)
# Each is timed from launch to exit with /usr/bin/time (wall seconds, user+system CPU seconds,
# peak RSS of the largest process), its files compared with the payload byte for byte (cmp) and
# removed before the next run. Medians per tool and the ratios of the issue's goals follow.
# Every run is bounded to 300 s; on exit (or Ctrl-C) the run under way, nginx and the temporary
# folder are removed.
#
# Usage: [BITWRIGHT_JAR=JAR] benchmarks/webseed-vs-aria2.sh [SIZE_MIB=1024] [REPS=3]
#   needs /usr/sbin/nginx, aria2c, curl, /usr/bin/time and the jar (examples/target/bitwright.jar
#   unless BITWRIGHT_JAR names another build)
set -euo pipefail
size=${1:-1024}
reps=${2:-3}
files=8
root=$(cd "$(dirname "$0")/.." && pwd)
jar=${BITWRIGHT_JAR:-$root/examples/target/bitwright.jar}
nginx=/usr/sbin/nginx
[[ -f $jar ]] || { echo "build first: mvn -B -ntp package -DskipTests" >&2; exit 1; }
for tool in "$nginx" aria2c curl /usr/bin/time; do
  command -v "$tool" > /dev/null || { echo "needs $tool" >&2; exit 1; }
done
((size % files == 0)) || { echo "SIZE_MIB must be a multiple of $files" >&2; exit 2; }

dir=$(mktemp -d /dev/shm/bitwright-webseed.XXXXXX)
nginx_pid=
timed_pid= # the measured process runs in a session of its own: this stops it with its children
cleanup() {
  if [[ -n $timed_pid ]]; then
    kill -- -"$timed_pid" 2> /dev/null || true
    # aria2c stops gracefully on SIGTERM: give the group 5 s before it is killed.
    for _ in $(seq 50); do kill -0 -- -"$timed_pid" 2> /dev/null || break; sleep 0.1; done
    kill -KILL -- -"$timed_pid" 2> /dev/null || true
  fi
  if [[ -n $nginx_pid ]]; then
    kill "$nginx_pid" 2> /dev/null || true
    wait "$nginx_pid" 2> /dev/null || true
  fi
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$dir/www/payload" "$dir/nginx/logs"
names=()
for ((i = 1; i <= files; i++)); do
  names+=("file-$i.bin")
  head -c $(((size << 20) / files)) /dev/urandom > "$dir/www/payload/file-$i.bin"
done

port=$((31000 + RANDOM % 1000))
# Worker processes switch to the `user` directive's account when the master runs as root (nobody
# by default, which could not read this folder); for anyone else nginx ignores the directive.
user_line=
(($(id -u) == 0)) && user_line="user root root;"
cat > "$dir/nginx/nginx.conf" << EOF
$user_line
daemon off;
worker_processes 1;
pid $dir/nginx/nginx.pid;
error_log $dir/nginx/logs/error.log warn;
events { worker_connections 64; }
http {
  access_log off;
  default_type application/octet-stream;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  client_body_temp_path $dir/nginx/client_body;
  proxy_temp_path $dir/nginx/proxy;
  fastcgi_temp_path $dir/nginx/fastcgi;
  uwsgi_temp_path $dir/nginx/uwsgi;
  scgi_temp_path $dir/nginx/scgi;
  server {
    listen 127.0.0.1:$port;
    root $dir/www;
  }
}
EOF
"$nginx" -p "$dir/nginx" -e "$dir/nginx/logs/error.log" -c "$dir/nginx/nginx.conf" &
nginx_pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 50); do curl -sf -o /dev/null "$base/payload/file-1.bin" -r 0-0 && break; sleep 0.1; done
curl -sf -o /dev/null -r 0-0 "$base/payload/file-1.bin" \
  || { echo "nginx did not start" >&2; cat "$dir/nginx/logs/error.log" >&2; exit 1; }

torrent="$dir/payload.torrent"
java -jar "$jar" create "$dir/www/payload" -o "$torrent" --piece-size 1M --no-date \
  --web-seed "$base/" > /dev/null

out="$dir/out"
same_bytes() { # tool -> fails unless every file under $out/payload is the payload's
  for name in "${names[@]}"; do
    cmp -s "$dir/www/payload/$name" "$out/payload/$name" \
      || { echo "WRONG BYTES ($1: $name)" >&2; exit 1; }
  done
}

run() { # tool -> sets result to "seconds cpu rss_mib"
  local tool=$1 t="$dir/time.txt" log="$dir/$1.log"
  rm -rf "$out"
  mkdir -p "$out/payload"
  local urls=() curl_args=()
  for name in "${names[@]}"; do
    urls+=("$base/payload/$name")
    curl_args+=(-o "$out/payload/$name" "$base/payload/$name")
  done
  local cmd=()
  case $tool in
    bitwright)
      cmd=(java -Xmx64m -jar "$jar" download "$torrent" --dir "$out" --listen 127.0.0.1 --timeout 300) ;;
    aria2c)
      # --foreground keeps aria2c in timeout's process group, which the cleanup stops.
      cmd=(timeout --foreground 300 aria2c --no-conf --dir "$out" --enable-dht=false
        --enable-dht6=false --bt-enable-lpd=false --enable-peer-exchange=false --seed-time=0
        --listen-port=$((32000 + RANDOM % 1000)) --file-allocation=none --summary-interval=0
        --console-log-level=warn "$torrent") ;;
    curl)
      cmd=(curl -sSf --max-time 300 "${curl_args[@]}") ;;
    curl+sha1)
      cmd=(bash -c 'curl -sSf --max-time 300 "${@:2}" && cd "$1" && sha1sum *' _ "$out/payload"
        "${curl_args[@]}") ;;
    'curl|sha1')
      cmd=(bash -c 'set -o pipefail; out=$1; shift
        for u in "$@"; do curl -sSf --max-time 300 "$u" | tee "$out/${u##*/}" | sha1sum || exit 1; done'
        _ "$out/payload" "${urls[@]}") ;;
  esac
  setsid /usr/bin/time -f "%e %U %S %M" -o "$t" "${cmd[@]}" > "$log" 2>&1 &
  timed_pid=$!
  wait "$timed_pid" || { echo "$tool failed:" >&2; tail -20 "$log" >&2; exit 1; }
  timed_pid=
  same_bytes "$tool"
  rm -rf "$out"
  result=$(awk '{printf "%s %.2f %d\n", $1, $2 + $3, $4 / 1024}' "$t")
}

tools=(bitwright aria2c curl curl+sha1 'curl|sha1')
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
mbs() { awk -v b=$((size << 20)) -v s="$1" 'BEGIN {printf "%.1f", b / s / 1e6}'; }
declare -A secs cpus rss med
for ((r = 1; r <= reps; r++)); do
  for tool in "${tools[@]}"; do
    run "$tool"
    read -r s c m <<< "$result"
    printf "run %d %-10s %6.2fs  %6s MB/s  CPU %5.2fs  peak RSS %4d MiB\n" "$r" "$tool" "$s" \
      "$(mbs "$s")" "$c" "$m"
    secs[$tool]+="$s "; cpus[$tool]+="$c "; rss[$tool]+="$m "
  done
done
echo
for tool in "${tools[@]}"; do
  s=$(tr ' ' '\n' <<< "${secs[$tool]}" | grep . | median)
  c=$(tr ' ' '\n' <<< "${cpus[$tool]}" | grep . | median)
  m=$(tr ' ' '\n' <<< "${rss[$tool]}" | grep . | median)
  med[$tool]=$s
  printf "median %-10s %6.2fs  %6s MB/s  CPU %5.2fs (%s s/GiB)  peak RSS %4.0f MiB\n" "$tool" "$s" \
    "$(mbs "$s")" "$c" "$(awk -v c="$c" -v z="$size" 'BEGIN {printf "%.2f", c * 1024 / z}')" "$m"
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
echo "Bitwright / aria2c: $(ratio "${med[bitwright]}" "${med[aria2c]}")x (goal at most 0.8x)"
echo "Bitwright / curl: $(ratio "${med[bitwright]}" "${med[curl]}")x," \
  "/ curl+sha1: $(ratio "${med[bitwright]}" "${med[curl+sha1]}")x," \
  "/ curl|sha1: $(ratio "${med[bitwright]}" "${med['curl|sha1']}")x (goal at most 1.25x)"
