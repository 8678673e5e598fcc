#!/usr/bin/python3
"""A libtorrent peer in a network namespace for Bitwright's tests: found by, and finding, Local
Service Discovery (BEP 14), or dialling an address it is told.

Usage: lt_netns_peer.py MODE(seed|leech) TORRENT SAVE_PATH LISTEN_ADDRESS DIALS(dial|accept)
                        DURATION_SECONDS [LSD(on|off)]

Listens on LISTEN_ADDRESS (an IPv4 or IPv6 literal, port chosen by the system); with LSD on (the
default) it announces every 2 s (libtorrent's local_service_announce_interval; the default is 5
minutes). The command "connect HOST PORT" on stdin dials HOST:PORT.
DIALS "dial" makes outgoing connections only (incoming ones are refused), "accept" takes incoming
ones only: so a test knows which side found the other. Prints "PORT <n>" once the torrent is
ready, "LSD_PEER <address> <port>" for each peer LSD told it of, and, for a leech, "FINISHED" when
every piece is downloaded and verified. Exits when stdin closes or after DURATION_SECONDS. No
tracker, DHT, UPnP or NAT-PMP; TCP only. Needs Debian's python3-libtorrent.
"""
import os
import re
import select
import sys
import time

import libtorrent as lt

mode, torrent, save_path, listen, dials, duration = sys.argv[1:7]
lsd = len(sys.argv) <= 7 or sys.argv[7] == "on"
host = "[" + listen + "]" if ":" in listen else listen
settings = {
    "listen_interfaces": host + ":0",
    "enable_upnp": False,
    "enable_natpmp": False,
    "enable_lsd": lsd,
    "local_service_announce_interval": 2,
    "enable_dht": False,
    "enable_outgoing_utp": False,
    "enable_incoming_utp": False,
    "enable_outgoing_tcp": dials == "dial",
    "enable_incoming_tcp": dials == "accept",
    "allow_multiple_connections_per_ip": True,
    "min_reconnect_time": 1,
    "alert_mask": lt.alert.category_t.status_notification | lt.alert.category_t.error_notification
    | lt.alert.category_t.peer_notification | lt.alert.category_t.connect_notification,
}
ses = lt.session(settings)
params = lt.add_torrent_params()
params.ti = lt.torrent_info(torrent)
params.save_path = save_path
if mode == "seed":
    params.flags |= lt.torrent_flags.seed_mode
handle = ses.add_torrent(params)
deadline = time.monotonic() + float(duration)
ready = (lt.torrent_status.seeding, lt.torrent_status.finished) if mode == "seed" else (
    lt.torrent_status.downloading, lt.torrent_status.finished, lt.torrent_status.seeding)
while (ses.listen_port() == 0 or handle.status().state not in ready) and time.monotonic() < deadline:
    time.sleep(0.02)
print("PORT", ses.listen_port(), flush=True)
finished = False
while time.monotonic() < deadline:
    readable, _, _ = select.select([sys.stdin], [], [], 0.05)
    if readable:
        line = sys.stdin.readline()
        if not line:
            break
        words = line.split()
        if len(words) == 3 and words[0] == "connect":
            handle.connect_peer((words[1], int(words[2])))
    for alert in ses.pop_alerts():
        print("ALERT", alert.what(), alert.message(), file=sys.stderr, flush=True)
        # The binding has no class for lsd_peer_alert: the peer is read from its message, "... peer
        # [ ADDRESS:PORT client: ... ]" (an IPv6 address in brackets).
        if alert.what() == "lsd_peer":
            found = re.search(r"peer \[ \[?([0-9a-fA-F.:]+?)\]?:(\d+) ", alert.message())
            if found:
                print("LSD_PEER", found.group(1), found.group(2), flush=True)
    if mode == "leech" and not finished:
        status = handle.status()
        if status.is_seeding or (status.progress >= 1.0 and status.is_finished):
            finished = True
            print("FINISHED", flush=True)
os._exit(0)
