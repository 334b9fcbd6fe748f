#!/usr/bin/env python3
"""Turn the files scripts/bench-fix leaves in its output directory into the Markdown results.

usage: report.py OUTDIR [--update-docs DOCS.md]

Reads OUTDIR/{inputs.tsv,hf-NAME.json,rss-{ours,peer,floor}-NAME.txt,checks.tsv,
failures.tsv,peer-steps.tsv,rss-split-ours-*.json,versions.tsv,machine.tsv,command.txt,
date.txt} and writes OUTDIR/results.md. With --update-docs, the block between the two
bench-fix marker lines of DOCS.md is replaced by the same text; the rest of the page (the
hand-written discussion) is kept.
"""
import json
import os
import re
import sys

BEGIN = "<!-- BEGIN scripts/bench-fix results: generated, do not edit by hand -->"
END = "<!-- END scripts/bench-fix results -->"
OURS = "hyper-migrate fix"
PEER = "apktool d+b, zipalign, apksigner"
PEER_DECODE = "apktool d only (apktool b fails)"
FLOOR = "zipalign + apksigner only"
SPEED_TARGET = 10.0
MEMORY_TARGET = 2.0
MiB = 1024 * 1024


def read(path, default=None):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except FileNotFoundError:
        return default


def tsv(path):
    return [line.split("\t") for line in (read(path, "") or "").splitlines() if line.strip()]


def fmt_s(x):
    return "%.3f" % x if x < 1 else "%.2f" % x if x < 10 else "%.1f" % x


def fmt_mean(r):
    digits = len(fmt_s(r["mean"]).partition(".")[2])
    return "%s ± %.*f" % (fmt_s(r["mean"]), digits, r["stddev"] or 0.0)


def fmt_size(n):
    return "%.1f KiB" % (n / 1024) if n < MiB else "%.1f MiB" % (n / MiB)


def fmt_ratio(x):
    return "%.2f×" % x if x < 10 else "%.0f×" % x


def fmt_mib(kib):
    return "%.1f MiB" % (kib / 1024)


def fmt_x(x):
    return "%.1f×" % x if x < 100 else "%.0f×" % x


def cpu(r):
    return r["user"] + r["system"]


def max_rss(outdir, slug):
    vals = [int(x) for x in re.findall(r"^\d+$", read(os.path.join(outdir, "rss-%s.txt" % slug), "") or "", re.M)]
    return max(vals) if vals else None


def main(argv):
    if len(argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    outdir = argv[1]
    docs = argv[argv.index("--update-docs") + 1] if "--update-docs" in argv else None

    inputs = tsv(os.path.join(outdir, "inputs.tsv"))
    checks = tsv(os.path.join(outdir, "checks.tsv"))
    failures = [row + [""] * (3 - len(row)) for row in tsv(os.path.join(outdir, "failures.tsv"))]
    steps = dict(tsv(os.path.join(outdir, "peer-steps.tsv")))
    versions = tsv(os.path.join(outdir, "versions.tsv"))
    machine = tsv(os.path.join(outdir, "machine.tsv"))
    command = (read(os.path.join(outdir, "command.txt"), "bash scripts/bench-fix") or "").strip()
    runs = None

    rows = []
    for name, path, size, kind, select, attrs in inputs:
        size = int(size)
        hf = {}
        text = read(os.path.join(outdir, "hf-%s.json" % name))
        if text:
            for r in json.loads(text)["results"]:
                hf[r["command"]] = r
                runs = len(r["times"])
        rows.append(dict(
            name=name, path=path, size=size, kind=kind, select=select, attrs=attrs, hf=hf,
            steps=steps.get(name, "?"),
            rss={t: max_rss(outdir, "%s-%s" % (t, name)) for t in ("ours", "peer", "floor")},
            failed=[c for c in checks if c[0] == name and c[3] != "ok"],
        ))

    L = []
    w = L.append
    w(BEGIN)
    w("")
    w("Produced by `%s` on %s." % (command, (read(os.path.join(outdir, "date.txt"), "?") or "?").strip()))
    w("")
    w("### Machine and versions")
    w("")
    w("| | |")
    w("|---|---|")
    for k, v in machine + versions:
        w("| %s | %s |" % (k, v))
    w("")

    w("### Inputs and the change made")
    w("")
    w("| input | bytes | change, both ways | `fix --select` | apktool pipeline |")
    w("|---|---:|---|---|---|")
    for r in rows:
        if r["kind"] == "manifest":
            change = "remove " + ", ".join("`android:%s`" % a for a in r["attrs"].split(","))
        else:
            change = "none: re-align + re-sign (apktool: decode + rebuild round trip)"
        peer = {"all": "d, edit, b, zipalign, apksigner", "decode": "**apktool b fails**; only `d` timed",
                "none": "**apktool d fails**; not timed"}.get(r["steps"], r["steps"])
        w("| `%s` | %s | %s | `%s` | %s |" % (os.path.basename(r["path"]), format(r["size"], ","), change, r["select"], peer))
    w("")
    if failures:
        w("Where a peer pipeline failed in the preflight run (from its own messages, shortened):")
        w("")
        label = {"peer": "apktool pipeline", "floor": "zipalign + apksigner alone"}
        for name, pipeline, reason in failures:
            w("* `%s`, %s: %s" % (name, label.get(pipeline, pipeline), reason.strip().replace("|", "\\|")))
        w("")

    w("### Per input: wall time, speed-up, peak memory")
    w("")
    w("Mean ± standard deviation of the wall time over %s runs after %s warm-up (hyperfine, all three "
      "commands of an input in one invocation). Speed-up: the apktool pipeline's mean divided by "
      "ours. Peak RSS: GNU `time -f %%M` around every run, largest value; for the apktool pipeline "
      "that is its largest single process (a `java`)."
      % (runs if runs is not None else "?", command_warmup(command)))
    w("")
    w("| input | size | hyper-migrate fix [s] | apktool + zipalign + apksigner [s] | speed-up | "
      "our peak RSS | ÷ input size | apktool pipeline peak RSS |")
    w("|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        hf, ours = r["hf"], r["hf"].get(OURS)
        peer = hf.get(PEER) or hf.get(PEER_DECODE)
        lower = PEER not in hf and PEER_DECODE in hf
        speed = "–"
        if ours and peer:
            speed = ("≥ " if lower else "") + fmt_x(peer["mean"] / ours["mean"])
            if lower:
                speed += " (d alone)"
        peer_cell = "–" if not peer else fmt_mean(peer) + (" (d alone)" if lower else "")
        ro, rp = r["rss"]["ours"], r["rss"]["peer"]
        w("| `%s` | %s | %s | %s | %s | %s | %s | %s |" % (
            os.path.basename(r["path"]), fmt_size(r["size"]), fmt_mean(ours) if ours else "–", peer_cell, speed,
            fmt_mib(ro) if ro else "–", fmt_ratio(ro * 1024 / r["size"]) if ro else "–",
            fmt_mib(rp) + (" (d alone)" if lower else "") if rp else "–"))
    w("")

    w("CPU time (user + system, per run) is disturbed less by other load on the machine than wall "
      "time. The last columns time zipalign + apksigner alone on the input (no apktool): the floor of any "
      "pipeline that re-signs with Android's tools, though it cannot change the manifest.")
    w("")
    w("| input | ours CPU [s] | apktool pipeline CPU [s] | CPU-time ratio | zipalign + apksigner alone [s] | its peak RSS | ours vs it |")
    w("|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        hf, ours = r["hf"], r["hf"].get(OURS)
        peer = hf.get(PEER) or hf.get(PEER_DECODE)
        lower = PEER not in hf and PEER_DECODE in hf
        floor = hf.get(FLOOR)
        if not ours:
            continue
        w("| `%s` | %s | %s | %s | %s | %s | %s |" % (
            os.path.basename(r["path"]), fmt_s(cpu(ours)),
            (fmt_s(cpu(peer)) + (" (d alone)" if lower else "")) if peer else "–",
            (("≥ " if lower else "") + fmt_x(cpu(peer) / cpu(ours))) if peer else "–",
            fmt_mean(floor) if floor else "–",
            fmt_mib(r["rss"]["floor"]) if r["rss"]["floor"] else "–",
            fmt_x(floor["mean"] / ours["mean"]) + " faster" if floor else "–"))
    w("")

    split = None
    for r in rows:
        text = read(os.path.join(outdir, "rss-split-ours-%s.json" % r["name"]))
        if text:
            split = (r, json.loads(text))
    if split:
        r, s = split
        w("Where our peak on `%s` (%.1f MiB) comes from: `scripts/bench.d/rss.py` polls "
          "`/proc/PID/status` about every 0.5 ms during one extra run. Peak RssAnon (heap) %s, "
          "peak RssFile (the binary and other mapped files) %s, VmHWM %s."
          % (os.path.basename(r["path"]), r["size"] / MiB, fmt_mib(s["RssAnon"]), fmt_mib(s["RssFile"]),
             fmt_mib(s["VmHWM"])))
        w("")

    w("### Output checks")
    w("")
    w("Every output of every pipeline, after the one preflight run and again after the timed runs: "
      "`apksigner verify`, `zipalign -c -p 4`, `aapt dump badging`'s `package:` line equal to the "
      "input's, and (for a manifest change) `aapt dump xmltree` no longer showing the removed "
      "attributes.")
    w("")
    n_checks = len(checks)
    failed = [c for c in checks if c[3] != "ok"]
    if not failed:
        w("All %d checks passed." % n_checks)
    else:
        w("%d of %d checks **failed**:" % (len(failed), n_checks))
        w("")
        w("| input | pipeline | check | detail |")
        w("|---|---|---|---|")
        seen = set()
        for c in failed:
            key = tuple(c[:3])
            if key in seen:
                continue
            seen.add(key)
            w("| `%s` | %s | %s | %s |" % (c[0], c[1], c[2], (c[4] if len(c) > 4 else "").replace("|", "\\|")))
    w("")

    w("### Targets, per input")
    w("")
    w("| input | ≥ %.0f× faster than the apktool pipeline | our peak RSS < %.0f× the input |" % (SPEED_TARGET, MEMORY_TARGET))
    w("|---|---|---|")
    for r in rows:
        hf, ours = r["hf"], r["hf"].get(OURS)
        if PEER in hf and ours:
            x = hf[PEER]["mean"] / ours["mean"]
            speed = "%s — %s" % (fmt_x(x), "met" if x >= SPEED_TARGET else "**not met**")
        elif PEER_DECODE in hf and ours:
            x = hf[PEER_DECODE]["mean"] / ours["mean"]
            speed = "no comparison: apktool cannot rebuild it (decode alone: %s, %s)" % (
                fmt_x(x), "≥ target" if x >= SPEED_TARGET else "below target")
        else:
            speed = "no comparison"
        ro = r["rss"]["ours"]
        mem = "–"
        if ro:
            m = ro * 1024 / r["size"]
            mem = "%s — %s" % (fmt_ratio(m), "met" if m < MEMORY_TARGET else "**not met**")
        w("| `%s` | %s | %s |" % (os.path.basename(r["path"]), speed, mem))
    w("")
    w(END)
    text = "\n".join(L) + "\n"

    with open(os.path.join(outdir, "results.md"), "w", encoding="utf-8") as f:
        f.write(text)
    if docs:
        page = read(docs)
        if page is None or BEGIN not in page or END not in page:
            sys.stderr.write("report.py: %s has no bench-fix markers; results are in %s/results.md\n" % (docs, outdir))
            return 1
        head, rest = page.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        with open(docs + ".tmp", "w", encoding="utf-8") as f:
            f.write(head + text.rstrip("\n") + tail)
        os.replace(docs + ".tmp", docs)
    return 0


def command_warmup(command):
    m = re.search(r"BENCH_WARMUP=(\d+)", command)
    return m.group(1) if m else "1"


if __name__ == "__main__":
    sys.exit(main(sys.argv))
