#!/usr/bin/python3
"""A libtorrent peer for Bitwright's interoperability tests, on loopback only.

Usage: lt_peer.py TORRENT SAVE_PATH ENCRYPTION(forced|enabled|disabled) DURATION_SECONDS

Seeds TORRENT from SAVE_PATH (seed mode: no hash check) listening on 127.0.0.1 on a port chosen by
the system, then prints "PORT <n>" on stdout. Commands on stdin, one per line:
  connect <port>   dial 127.0.0.1:<port>
It exits when stdin closes or after DURATION_SECONDS. DHT, LSD, UPnP, NAT-PMP and uTP are off.
Needs Debian's python3-libtorrent (run with /usr/bin/python3).
"""
import os
import select
import sys
import time

import libtorrent as lt

torrent, save_path, encryption, duration = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
policy = {"forced": 0, "enabled": 1, "disabled": 2}[encryption]
settings = {
    "listen_interfaces": "127.0.0.1:0",
    "enable_upnp": False,
    "enable_natpmp": False,
    "enable_lsd": False,
    "enable_dht": False,
    "enable_outgoing_utp": False,
    "enable_incoming_utp": False,
    "allow_multiple_connections_per_ip": True,
    "out_enc_policy": policy,
    "in_enc_policy": policy,
    "allowed_enc_level": 2 if encryption == "forced" else 3,
    "prefer_rc4": encryption == "forced",
    "alert_mask": lt.alert.category_t.peer_notification | lt.alert.category_t.error_notification
    | lt.alert.category_t.connect_notification,
}
ses = lt.session(settings)
handle = ses.add_torrent({
    "ti": lt.torrent_info(torrent),
    "save_path": save_path,
    "flags": lt.torrent_flags.seed_mode,
})
deadline = time.monotonic() + duration
# An encrypted handshake names the torrent by a hash of its info-hash: libtorrent can answer it only
# once the torrent runs, a moment after the listening port is known (and after it reports its state).
while (ses.listen_port() == 0 or handle.status().state != lt.torrent_status.seeding) \
        and time.monotonic() < deadline:
    time.sleep(0.05)
time.sleep(0.5)
print("PORT", ses.listen_port(), flush=True)
while time.monotonic() < deadline:
    readable, _, _ = select.select([sys.stdin], [], [], 0.1)
    if readable:
        line = sys.stdin.readline()
        if not line:
            break
        words = line.split()
        if len(words) == 2 and words[0] == "connect":
            handle.connect_peer(("127.0.0.1", int(words[1])))
    for alert in ses.pop_alerts():
        print("ALERT", alert.what(), alert.message(), file=sys.stderr, flush=True)
os._exit(0)
