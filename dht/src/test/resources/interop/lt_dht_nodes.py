#!/usr/bin/python3
"""A few libtorrent DHT nodes on 127.0.0.1, driven over stdin/stdout by the Bitwright DHT tests.

  lt_dht_nodes.py --ports P1,P2,P3 --peer 127.0.0.1:J --duration S

Each node is a python3-libtorrent session with only the DHT (no torrents), listening on
127.0.0.1:Pi. The nodes are introduced to each other and to the node under test at J with
add_dht_node. Settings that loopback needs: every node is 127.0.0.1, so the per-IP routing and
search restrictions are off, BEP 42 ids are not preferred (ids cannot match 127.0.0.1 anyway),
and the per-IP rate limit (dht_block_ratelimit, 5 packets/s) is lifted, or the busiest node would
block every other one.

Prints READY once every node's routing table holds the other libtorrent nodes. Commands, one a
line on stdin:
  ANNOUNCE <hex>          node 0 adds a torrent of info-hash <hex> (no trackers, no metadata)
                          and announces itself, 127.0.0.1:P1, through the DHT every 3 s;
                          prints ANNOUNCED <hex> <port>. (The Python binding cannot build the
                          flags argument of session.dht_announce, so a torrent announces.)
  GET_PEERS <hex>         node 1 looks up <hex> every 2 s; prints PEERS <hex> ip:port ... per reply
  SAMPLE <port> <hex>     node 1 sends a BEP 51 sample_infohashes for target <hex> to
                          127.0.0.1:<port>; prints SAMPLES ip:port num hex ... for the reply
  QUIT                    exits
Exits by itself after --duration seconds, or when stdin closes.
"""
import argparse
import select
import sys
import tempfile
import time
import warnings

import libtorrent as lt


def settings(port):
    return {
        "listen_interfaces": f"127.0.0.1:{port}",
        "listen_system_port_fallback": False,
        "enable_upnp": False,
        "enable_natpmp": False,
        "enable_lsd": False,
        "enable_dht": True,
        "dht_bootstrap_nodes": "",
        "dht_restrict_routing_ips": False,
        "dht_restrict_search_ips": False,
        "dht_prefer_verified_node_ids": False,
        "dht_ignore_dark_internet": False,
        "dht_block_ratelimit": 1000000,
        "alert_mask": lt.alert.category_t.dht_notification
        | lt.alert.category_t.dht_operation_notification
        | lt.alert.category_t.error_notification,
    }


def table_sizes(sessions):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)   # session.status() is deprecated
        return [ses.status().dht_nodes for ses in sessions]


def say(line):
    print(line, flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ports", required=True)
    ap.add_argument("--peer", required=True, help="the node under test, 127.0.0.1:PORT")
    ap.add_argument("--duration", type=float, default=120)
    ap.add_argument("--save-path", default=tempfile.gettempdir())
    a = ap.parse_args()
    ports = [int(p) for p in a.ports.split(",")]
    peer_host, peer_port = a.peer.rsplit(":", 1)
    end = time.time() + a.duration

    sessions = [lt.session(settings(p)) for p in ports]
    for i, ses in enumerate(sessions):
        for j, port in enumerate(ports):
            if i != j:
                ses.add_dht_node(("127.0.0.1", port))
        ses.add_dht_node((peer_host, int(peer_port)))

    ready = False
    lookups = {}          # hex -> time of the last dht_get_peers
    torrents = []         # handles announcing through node 0
    last_announce = 0.0
    last_introduce = time.time()
    while time.time() < end:
        for i, ses in enumerate(sessions):
            for al in ses.pop_alerts():
                if isinstance(al, lt.dht_get_peers_reply_alert):
                    peers = " ".join(f"{ip}:{port}" for ip, port in al.peers())
                    say(f"PEERS {al.info_hash} {peers}")
                elif isinstance(al, lt.dht_sample_infohashes_alert):
                    ip, port = al.endpoint
                    hashes = " ".join(str(h) for h in al.samples)
                    say(f"SAMPLES {ip}:{port} {al.num_infohashes} {hashes}")
                elif isinstance(al, (lt.listen_failed_alert, lt.udp_error_alert)):
                    print(f"node {i}: {al.message()}", file=sys.stderr, flush=True)
        if not ready:
            counts = table_sizes(sessions)
            if min(counts) >= len(sessions) - 1:
                ready = True
                say(f"READY {counts}")
            elif time.time() - last_introduce > 3:
                # A ping lost at start-up is not retried by libtorrent: introduce again.
                for i, ses in enumerate(sessions):
                    for j, port in enumerate(ports):
                        if i != j:
                            ses.add_dht_node(("127.0.0.1", port))
                last_introduce = time.time()
        if torrents and time.time() - last_announce > 3:
            for handle in torrents:
                handle.force_dht_announce()
            last_announce = time.time()
        for hexhash, last in list(lookups.items()):
            if time.time() - last > 2:
                sessions[1 % len(sessions)].dht_get_peers(lt.sha1_hash(bytes.fromhex(hexhash)))
                lookups[hexhash] = time.time()
        readable, _, _ = select.select([sys.stdin], [], [], 0.1)
        if not readable:
            continue
        line = sys.stdin.readline()
        if not line:
            break
        words = line.split()
        if not words:
            continue
        if words[0] == "QUIT":
            break
        if words[0] == "ANNOUNCE":
            params = lt.parse_magnet_uri(f"magnet:?xt=urn:btih:{words[1]}")
            params.save_path = a.save_path
            torrents.append(sessions[0].add_torrent(params))
            say(f"ANNOUNCED {words[1]} {ports[0]}")
        elif words[0] == "GET_PEERS":
            lookups[words[1]] = 0.0
        elif words[0] == "SAMPLE":
            target = lt.sha1_hash(bytes.fromhex(words[2]))
            sessions[1 % len(sessions)].dht_sample_infohashes(("127.0.0.1", int(words[1])), target)
    for ses in sessions:
        ses.pause()
    return 0


if __name__ == "__main__":
    sys.exit(main())
