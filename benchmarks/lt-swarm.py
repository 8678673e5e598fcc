#!/usr/bin/python3
"""A swarm of libtorrent leechers in one process, the libtorrent side of benchmarks/swarm.sh.

  lt-swarm.py TORRENT WORK_DIR SEED_PORT FIRST_PORT COUNT [TIMEOUT_SECONDS=600]

COUNT libtorrent sessions (python3-libtorrent, Debian's /usr/bin/python3), leecher i listening on
127.0.0.1:FIRST_PORT+i and downloading into WORK_DIR/i, TCP only and plaintext, with the settings
of ../shared/interop (loopback only, several peers per IP allowed). Each is told of the seed on
SEED_PORT and of every other leecher, as a tracker would tell them; they trade with each other.
Prints "leecher=i seconds=S" as each has every piece and "swarm_s=S" when the last has; exits 1
if the timeout passes first.
"""
import os
import sys
import time

INTEROP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "interop")
sys.path.insert(0, INTEROP)
from ltcommon import lt, base_settings, connect_flags  # noqa: E402


def main():
    if len(sys.argv) < 6:
        sys.exit(__doc__)
    torrent, work = sys.argv[1], sys.argv[2]
    seed_port, first_port, count = (int(x) for x in sys.argv[3:6])
    timeout = float(sys.argv[6]) if len(sys.argv) > 6 else 600
    sessions, handles = [], []
    for i in range(count):
        settings = base_settings(first_port + i, encryption="disabled", utp="off")
        settings["alert_mask"] = lt.alert.category_t.error_notification
        sessions.append(lt.session(settings))
    info = lt.torrent_info(torrent)
    start = time.monotonic()
    for i, session in enumerate(sessions):
        params = lt.add_torrent_params()
        params.ti = info
        params.save_path = os.path.join(work, str(i))
        handle = session.add_torrent(params)
        handle.connect_peer(("127.0.0.1", seed_port), 0, connect_flags("off"))
        for j in range(count):
            if j != i:
                handle.connect_peer(("127.0.0.1", first_port + j), 0, connect_flags("off"))
        handles.append(handle)
    finished = [None] * count
    while None in finished:
        if time.monotonic() - start > timeout:
            print(f"timed out after {timeout:.0f} s", flush=True)
            sys.exit(1)
        time.sleep(0.05)
        for i, handle in enumerate(handles):
            if finished[i] is None and handle.status().is_seeding:
                finished[i] = time.monotonic() - start
                print(f"leecher={i} seconds={finished[i]:.2f}", flush=True)
    print(f"swarm_s={max(finished):.2f}", flush=True)
    for session in sessions:
        session.pause()


if __name__ == "__main__":
    main()
