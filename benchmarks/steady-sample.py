#!/usr/bin/python3
"""Runs one leecher and measures the steady part of its download, from outside the process.

  steady-sample.py --file DOWNLOADED_FILE --size BYTES --mark BYTES --seed-pid PID -- COMMAND...

Starts COMMAND, then every 20 ms reads how many bytes of DOWNLOADED_FILE are allocated (on tmpfs
a page is allocated when it is first written, by write() or through a mapping, and files start
sparse in both clients), the leecher's CPU time and the seed's, from /proc. The steady part runs
from the first sample with at least MARK bytes allocated to the first with all SIZE bytes. The
CPU time of each process's JIT compiler threads (a JVM's "C1/C2 CompilerThread" threads) is also
read per thread, so that the compiler's share of the steady part can be told apart: a library
embedded in a long-running application pays for compiling once, not per GiB.

Prints one line:
  total_s=T steady_s=S steady_MBps=R leech_cpu_s=C leech_steady_cpu_s=LC seed_steady_cpu_s=SC
  leech_steady_jit_s=LJ seed_steady_jit_s=SJ
and exits with COMMAND's exit status (1 if the marks were never reached).
"""
import argparse
import os
import subprocess
import sys
import time

TICK = os.sysconf("SC_CLK_TCK")


def read_stat(path):
    """(name, utime + stime in seconds) from a /proc stat file, or None once it is gone."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
        fields = raw.rsplit(b")", 1)[1].split()
        return raw[raw.index(b"(") + 1 : raw.rindex(b")")], (int(fields[11]) + int(fields[12])) / TICK
    except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
        return None


def cpu_seconds(pid):
    """utime + stime of a process (children not included), or None once it is gone."""
    stat = read_stat(f"/proc/{pid}/stat")
    return stat and stat[1]


def jit_seconds(pid, seen):
    """CPU time of the JIT compiler threads of a process, in seconds.

    The JVM starts and stops compiler threads as the compile queue grows and shrinks; SEEN
    keeps the last reading of each thread (by id), so a thread that has exited still counts.
    """
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except FileNotFoundError:
        tids = []
    for tid in tids:
        stat = read_stat(f"/proc/{pid}/task/{tid}/stat")
        if stat and b"CompilerThre" in stat[0]:
            seen[tid] = stat[1]
    return sum(seen.values())


def allocated(path):
    try:
        return os.stat(path).st_blocks * 512
    except FileNotFoundError:
        return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--file", required=True)
    ap.add_argument("--size", type=int, required=True)
    ap.add_argument("--mark", type=int, required=True)
    ap.add_argument("--seed-pid", type=int, required=True)
    ap.add_argument("command", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    command = a.command[1:] if a.command[:1] == ["--"] else a.command
    start = time.monotonic()
    leecher = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    at_mark = at_end = None
    last_cpu = 0.0
    leech_jit, seed_jit = {}, {}
    jit = (0.0, 0.0)
    samples = 0
    while leecher.poll() is None:
        now = time.monotonic()
        cpu = cpu_seconds(leecher.pid)
        if cpu is not None:
            last_cpu = cpu
        if at_end is None:
            have = allocated(a.file)
            seed_cpu = cpu_seconds(a.seed_pid)
            marked = at_mark is None and have >= a.mark
            ended = have >= a.size
            # Compiler threads are read every tenth sample (and at the marks): reading every
            # thread of both processes each time would take CPU from the transfer measured.
            if marked or ended or samples % 10 == 0:
                jit = (jit_seconds(leecher.pid, leech_jit), jit_seconds(a.seed_pid, seed_jit))
            sample = (now, cpu, seed_cpu) + jit
            if marked:
                at_mark = sample
            if ended:
                at_end = sample
            samples += 1
        time.sleep(0.02)
    total = time.monotonic() - start
    if at_mark is None or at_end is None or None in at_mark or None in at_end:
        print("marks not reached", file=sys.stderr)
        sys.exit(leecher.returncode or 1)
    steady = at_end[0] - at_mark[0]
    print(
        f"total_s={total:.2f} steady_s={steady:.2f}"
        f" steady_MBps={(a.size - a.mark) / steady / 1e6:.1f}"
        f" leech_cpu_s={last_cpu:.2f}"
        f" leech_steady_cpu_s={at_end[1] - at_mark[1]:.2f}"
        f" seed_steady_cpu_s={at_end[2] - at_mark[2]:.2f}"
        f" leech_steady_jit_s={at_end[3] - at_mark[3]:.2f}"
        f" seed_steady_jit_s={at_end[4] - at_mark[4]:.2f}"
    )
    sys.exit(leecher.returncode)


if __name__ == "__main__":
    main()
