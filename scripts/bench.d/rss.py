#!/usr/bin/env python3
"""Split a process's peak memory into anonymous and file-backed pages.

usage: rss.py OUT.json -- COMMAND [ARGS...]

Runs COMMAND (stdout to /dev/null) and polls /proc/PID/status about every 0.5 ms. It writes
the largest RssAnon, RssFile and VmHWM it saw (KiB) to OUT.json. VmHWM is the kernel's own
high-water mark, so only its last reading before exit can be missed; RssAnon and RssFile
are samples and can miss a short spike. GNU time's %M (ru_maxrss) stays the exact figure;
this is only to show how much of it is the input file mapped into memory.
"""
import json
import subprocess
import sys
import time


def main(argv):
    if len(argv) < 4 or argv[2] != "--":
        sys.stderr.write(__doc__)
        return 2
    out, cmd = argv[1], argv[3:]
    peak = {"RssAnon": 0, "RssFile": 0, "VmHWM": 0}
    samples = 0
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    path = "/proc/%d/status" % proc.pid
    while proc.poll() is None:
        try:
            with open(path) as f:
                status = f.read()
        except OSError:
            break
        for line in status.splitlines():
            key, _, value = line.partition(":")
            if key in peak:
                peak[key] = max(peak[key], int(value.split()[0]))
        samples += 1
        time.sleep(0.0005)
    rc = proc.wait()
    peak["samples"] = samples
    peak["exit_code"] = rc
    with open(out, "w") as f:
        json.dump(peak, f)
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv))
