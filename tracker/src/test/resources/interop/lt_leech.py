#!/usr/bin/python3
"""A libtorrent leecher for Bitwright's tracker interoperability tests, on loopback only.

Usage: lt_leech.py TORRENT SAVE_PATH DURATION_SECONDS

Adds TORRENT (to download into SAVE_PATH) to a libtorrent session listening on 127.0.0.1 on a port
chosen by the system, then prints "READY <port>" on stdout. libtorrent announces to the torrent's
trackers and dials the peers they return. Encryption is disabled both ways, so that handshakes are
plain BitTorrent. It exits when stdin closes or after DURATION_SECONDS. DHT, LSD, UPnP, NAT-PMP and
uTP are off. Alerts go to stderr. Needs Debian's python3-libtorrent (run with /usr/bin/python3).
"""
import os
import select
import sys
import time

import libtorrent as lt

torrent, save_path, duration = sys.argv[1], sys.argv[2], float(sys.argv[3])
settings = {
    "listen_interfaces": "127.0.0.1:0",
    "enable_upnp": False,
    "enable_natpmp": False,
    "enable_lsd": False,
    "enable_dht": False,
    "enable_outgoing_utp": False,
    "enable_incoming_utp": False,
    "allow_multiple_connections_per_ip": True,
    "out_enc_policy": 2,  # disabled: no MSE attempt, a plain handshake
    "in_enc_policy": 2,
    "min_reconnect_time": 1,
    "alert_mask": lt.alert.category_t.peer_notification | lt.alert.category_t.error_notification
    | lt.alert.category_t.connect_notification | lt.alert.category_t.tracker_notification,
}
ses = lt.session(settings)
deadline = time.monotonic() + duration
while ses.listen_port() == 0 and time.monotonic() < deadline:
    time.sleep(0.05)
handle = ses.add_torrent({"ti": lt.torrent_info(torrent), "save_path": save_path})
print("READY", ses.listen_port(), flush=True)
while time.monotonic() < deadline:
    readable, _, _ = select.select([sys.stdin], [], [], 0.1)
    if readable and not sys.stdin.readline():
        break
    for alert in ses.pop_alerts():
        print("ALERT", alert.what(), alert.message(), file=sys.stderr, flush=True)
os._exit(0)
