#!/usr/bin/python3
"""Creates torrents with libtorrent (Debian python3-libtorrent) and prints their info-hashes.

Usage: lt_make.py PAYLOAD_DIR OUT_DIR
Files are added in torrent order (sorted path components) so that v1 file lists are deterministic.
"""
import os
import sys

import libtorrent as lt

payload, out = sys.argv[1], sys.argv[2]
MULTI = ["a.txt", "empty.dat", "sub/b.bin", "sub/c.bin", "z.bin"]
FLAGS = {"v1": lt.create_torrent.v1_only, "v2": lt.create_torrent.v2_only, "hybrid": 0}

for kind, flags in FLAGS.items():
    for shape in ("single", "multi"):
        fs = lt.file_storage()
        if shape == "single":
            fs.add_file("single.bin", os.path.getsize(os.path.join(payload, "single.bin")))
        else:
            for rel in MULTI:
                fs.add_file("multi/" + rel, os.path.getsize(os.path.join(payload, "multi", rel)))
        ct = lt.create_torrent(fs, 32768, flags=flags)
        ct.add_tracker("http://127.0.0.1:6969/announce", 0)
        ct.add_tracker("udp://127.0.0.1:6969", 1)
        ct.set_creator("libtorrent golden")
        lt.set_piece_hashes(ct, payload)
        name = "lt-%s-%s.torrent" % (kind, shape)
        with open(os.path.join(out, name), "wb") as f:
            f.write(lt.bencode(ct.generate()))
        ih = lt.torrent_info(os.path.join(out, name)).info_hashes()
        print("%s\tlibtorrent\t%s\t%s\t32768" % (
            name,
            str(ih.v1) if ih.has_v1() else "-",
            str(ih.v2) if ih.has_v2() else "-"))
