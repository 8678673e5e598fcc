#!/usr/bin/env python3
"""Writes the deterministic golden payload into the folder given as the only argument.

Byte i of a file with seed s is ((i * 2654435761 + s) mod 2^64) >> 13, low 8 bits.
GoldenPayload.java in the tests writes exactly the same bytes.
"""
import os
import sys

FILES = {
    "single.bin": (100000, 1),
    "multi/a.txt": (1, 2),
    "multi/empty.dat": (0, 3),
    "multi/sub/b.bin": (40000, 4),
    "multi/sub/c.bin": (70001, 5),
    "multi/z.bin": (16384, 6),
}

root = sys.argv[1]
for rel, (length, seed) in FILES.items():
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(bytes((((i * 2654435761 + seed) % 2**64) >> 13) & 0xFF for i in range(length)))
