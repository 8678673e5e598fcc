#!/usr/bin/python3
"""A private Mainline DHT of libtorrent nodes on 127.0.0.1, for Bitwright's session tests.

Usage: lt_dht_swarm.py NODES DURATION_SECONDS [SEED_TORRENT SEED_SAVE_PATH]

Starts NODES libtorrent sessions in this process, each on 127.0.0.1 with a port chosen by the
system, with the DHT on (bootstrapping from nothing on the internet) and LSD, UPnP, NAT-PMP and uTP
off, and introduces every node to every other. With SEED_TORRENT, node 1 seeds it from
SEED_SAVE_PATH (seed mode: no hash check), announcing it through the DHT only.

Prints "BOOTSTRAP <port>" (node 0, to bootstrap from), then "READY" once every node knows another
and, with a seed, once a get_peers of node 2 finds it. A command on stdin:
  leech <magnet> <dir>   the last node downloads the magnet; prints "FINISHED" once verified
Exits when stdin closes or after DURATION_SECONDS. Needs Debian's python3-libtorrent.
"""
import os
import select
import sys
import time

import libtorrent as lt

count = int(sys.argv[1])
deadline = time.monotonic() + float(sys.argv[2])
seed_torrent = sys.argv[3] if len(sys.argv) > 4 else None
seed_save = sys.argv[4] if len(sys.argv) > 4 else None


def settings():
    return {
        "listen_interfaces": "127.0.0.1:0",
        "enable_upnp": False,
        "enable_natpmp": False,
        "enable_lsd": False,
        "enable_dht": True,
        "dht_bootstrap_nodes": "",
        "enable_outgoing_utp": False,
        "enable_incoming_utp": False,
        # every node is 127.0.0.1: lift the per-IP limits meant for the internet
        "allow_multiple_connections_per_ip": True,
        "dht_restrict_routing_ips": False,
        "dht_restrict_search_ips": False,
        "dht_prefer_verified_node_ids": False,
        "dht_ignore_dark_internet": False,
        "dht_block_ratelimit": 1000000,
        "min_reconnect_time": 1,
        "alert_mask": lt.alert.category_t.error_notification
        | lt.alert.category_t.status_notification
        | lt.alert.category_t.dht_notification
        | lt.alert.category_t.dht_operation_notification,
    }


sessions = [lt.session(settings()) for _ in range(count)]
while any(s.listen_port() == 0 for s in sessions) and time.monotonic() < deadline:
    time.sleep(0.02)
ports = [s.listen_port() for s in sessions]
for s in sessions:
    for p in ports:
        if p != s.listen_port():
            s.add_dht_node(("127.0.0.1", p))

seed_hash = None
seed_handle = None
if seed_torrent:
    params = lt.add_torrent_params()
    params.ti = lt.torrent_info(seed_torrent)
    params.save_path = seed_save
    params.flags |= lt.torrent_flags.seed_mode
    seed_handle = sessions[1].add_torrent(params)
    seed_hash = params.ti.info_hashes().v1

print("BOOTSTRAP", ports[0], flush=True)

leech = None
ready = False
finished = False
next_probe = 0.0
while time.monotonic() < deadline:
    now = time.monotonic()
    if not ready and now >= next_probe:
        next_probe = now + 0.5
        if seed_handle is not None:
            seed_handle.force_dht_announce()
            sessions[2].dht_get_peers(seed_hash)
        elif all(s.status().dht_nodes > 0 for s in sessions):
            ready = True
            print("READY", flush=True)
    readable, _, _ = select.select([sys.stdin], [], [], 0.05)
    if readable:
        line = sys.stdin.readline()
        if not line:
            break
        words = line.split()
        if len(words) == 3 and words[0] == "leech":
            params = lt.parse_magnet_uri(words[1])
            params.save_path = words[2]
            leech = sessions[-1].add_torrent(params)
    for i, s in enumerate(sessions):
        for alert in s.pop_alerts():
            if isinstance(alert, lt.dht_get_peers_reply_alert) and not ready:
                if seed_hash is not None and alert.info_hash == seed_hash and alert.peers():
                    ready = True
                    print("READY", flush=True)
            print("ALERT", i, alert.what(), alert.message(), file=sys.stderr, flush=True)
    if leech is not None and not finished:
        status = leech.status()
        if status.has_metadata and status.is_seeding:
            finished = True
            print("FINISHED", flush=True)
os._exit(0)
