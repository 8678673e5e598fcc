#!/usr/bin/python3
"""A libtorrent peer for Bitwright's session tests, on 127.0.0.1 only.

Usage: lt_client.py MODE(seed|leech) SOURCE(.torrent file or magnet URI) SAVE_PATH
                    ENCRYPTION(forced|enabled|disabled) DURATION_SECONDS [UPLOAD_LIMIT_BYTES_PER_S]
                    [TRANSPORT(tcp|utp)]

Listens on 127.0.0.1 (port chosen by the system) and prints "PORT <n>" once the torrent is ready. A seed uses seed mode
(no hash check). A leech prints "FINISHED" when every piece is downloaded and verified (from peers, or from
the torrent's web seeds). Commands
on stdin, one per line: "connect <port>" dials 127.0.0.1:<port>. Exits when stdin closes or after
DURATION_SECONDS. DHT, LSD, UPnP and NAT-PMP are off; peers are reached over TCP only (the default) or
uTP only (TRANSPORT utp: TCP off both ways). Needs Debian's python3-libtorrent.
"""
import os
import select
import sys
import time

import libtorrent as lt

mode, source, save_path, encryption, duration = sys.argv[1:6]
upload_limit = int(sys.argv[6]) if len(sys.argv) > 6 else 0
utp = len(sys.argv) > 7 and sys.argv[7] == "utp"
policy = {"forced": 0, "enabled": 1, "disabled": 2}[encryption]
settings = {
    "listen_interfaces": "127.0.0.1:0",
    "enable_upnp": False,
    "enable_natpmp": False,
    "enable_lsd": False,
    "enable_dht": False,
    "enable_outgoing_utp": utp,
    "enable_incoming_utp": utp,
    "enable_outgoing_tcp": not utp,
    "enable_incoming_tcp": not utp,
    "allow_multiple_connections_per_ip": True,
    "out_enc_policy": policy,
    "in_enc_policy": policy,
    "allowed_enc_level": 2 if encryption == "forced" else 3,
    "prefer_rc4": encryption == "forced",
    "min_reconnect_time": 1,
    "alert_mask": lt.alert.category_t.status_notification | lt.alert.category_t.error_notification
    | lt.alert.category_t.peer_notification | lt.alert.category_t.connect_notification,
}
ses = lt.session(settings)
if source.startswith("magnet:"):
    params = lt.parse_magnet_uri(source)
    params.save_path = save_path
else:
    params = lt.add_torrent_params()
    params.ti = lt.torrent_info(source)
    params.save_path = save_path
if mode == "seed":
    params.flags |= lt.torrent_flags.seed_mode
handle = ses.add_torrent(params)
if upload_limit > 0:
    # A torrent's own limit holds for peers on loopback too (the session's does not: libtorrent
    # puts local peers in a class of their own, without limits).
    handle.set_upload_limit(upload_limit)
deadline = time.monotonic() + float(duration)
# A leech fed by a web seed alone (the torrent's url-list) may be done before the first poll sees it
# downloading: finished and seeding count as ready too.
ready = (lt.torrent_status.seeding, lt.torrent_status.finished) if mode == "seed" else (
    lt.torrent_status.downloading, lt.torrent_status.downloading_metadata,
    lt.torrent_status.finished, lt.torrent_status.seeding)
while (ses.listen_port() == 0 or handle.status().state not in ready) and time.monotonic() < deadline:
    time.sleep(0.02)
# The torrent answers encrypted handshakes only a moment after it reports its state.
time.sleep(0.5)
print("PORT", ses.listen_port(), flush=True)
finished = False
resumed = 0
while time.monotonic() < deadline:
    readable, _, _ = select.select([sys.stdin], [], [], 0.05)
    if readable:
        line = sys.stdin.readline()
        if not line:
            break
        words = line.split()
        if len(words) == 2 and words[0] == "connect":
            handle.connect_peer(("127.0.0.1", int(words[1])))
    for alert in ses.pop_alerts():
        print("ALERT", alert.what(), alert.message(), file=sys.stderr, flush=True)
        # libtorrent before 2.0.11 (Debian 12 ships 2.0.8) pauses a hybrid torrent with "v1 and v2
        # hashes do not describe the same data" (error 217) when a file's v2 hashes arrive while one
        # of its pieces has passed the v1 check but is not yet on disk: a race in its own piece
        # picker (fixed upstream by commit 7f691246a, 2024). The data is right; resume, as a user
        # would, at most twice, and say so on stdout for the test to see.
        if (isinstance(alert, lt.torrent_error_alert) and alert.error.value() == 217
                and resumed < 2):
            resumed += 1
            handle.clear_error()
            handle.resume()
            print("RESUMED inconsistent-hashes", flush=True)
    if mode == "leech" and not finished:
        status = handle.status()
        if status.is_seeding or (status.has_metadata and status.progress >= 1.0 and status.is_finished):
            finished = True
            print("FINISHED", flush=True)
os._exit(0)
