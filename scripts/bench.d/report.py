#!/usr/bin/env python3
"""Turn the files scripts/bench leaves in its output directory into the Markdown results.

usage: report.py OUTDIR [--update-docs DOCS.md]

Reads OUTDIR/{files.txt,excluded.tsv,versions.tsv,machine.tsv,hf-fast.json,hf-full.json,
rss-*.txt,rss-split-*.json,callgrind.txt,crosscheck.txt,command.txt} and writes
OUTDIR/results.md. With --update-docs, the block between the two marker lines of DOCS.md
is replaced by the same text; the rest of the page (the hand-written discussion) is kept.
"""
import json
import os
import re
import sys

BEGIN = "<!-- BEGIN scripts/bench results: generated, do not edit by hand -->"
END = "<!-- END scripts/bench results -->"

# hyperfine command name -> (slug of the rss-*.txt file, what the tool extracts).
# The names are the `-n` names scripts/bench gives hyperfine; keep the two in step.
TOOLS = [
    ("hyper-migrate -j 1", "ours-j1", "everything listed under *What is measured*, one file at a time"),
    ("hyper-migrate (default -j)", "ours-jd", "the same, files in parallel on every core"),
    ("apk-info APK()", "apk-info", "zip + AndroidManifest.xml + resources.arsc (manifest facts only)"),
    ("androguard APK()", "androguard-apk", "zip + AndroidManifest.xml (+ resources.arsc lookups); manifest only"),
    ("aapt badging + dexdump -f", "aapt-dexdump", "manifest/badging facts + every DEX header and class list"),
    ("androguard AnalyzeAPK()", "androguard-full", "manifest + every DEX fully parsed + cross-references (Analysis.create_xref)"),
]
OURS = ("hyper-migrate -j 1", "hyper-migrate (default -j)")
MiB = 1024 * 1024


def read(path, default=None):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except FileNotFoundError:
        return default


def tsv(path):
    text = read(path, "")
    return [line.split("\t") for line in text.splitlines() if line.strip()]


def fmt_s(x):
    return "%.3f" % x if x < 10 else "%.1f" % x


def fmt_s_like(x, ref):
    """x with as many decimals as fmt_s gives ref."""
    return "%.3f" % x if ref < 10 else "%.1f" % x


def fmt_mib(kib):
    return "%.1f MiB" % (kib / 1024)


def sample_origins(root):
    """file name -> 'registry `package@version`', from the tables of docs/samples.md."""
    text = read(os.path.join(root, "docs", "samples.md"), "")
    out = {}
    for line in text.splitlines():
        m = re.match(r"\|\s*`apk/([^`]+)`\s*\|\s*([^|]+?)\s*\|\s*`([^`]+)`", line)
        if m:
            out[m.group(1)] = "%s `%s`" % (m.group(2), m.group(3))
    return out


def origin(path, samples):
    name = os.path.basename(path)
    if "/target/corpus/" in path:
        return "corpus (built from `corpus/`)"
    if path.startswith("/usr/share/android-framework-res/"):
        return "Debian 12 `android-framework-res`"
    return samples.get(name, "target/samples (see docs/samples.md)")


def load_hyperfine(outdir):
    results = {}
    for name in ("hf-fast.json", "hf-full.json"):
        text = read(os.path.join(outdir, name))
        if text:
            for r in json.loads(text)["results"]:
                results[r["command"]] = r
    return results


def main(argv):
    if len(argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    outdir = argv[1]
    docs = argv[argv.index("--update-docs") + 1] if "--update-docs" in argv else None
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

    files = [l for l in read(os.path.join(outdir, "files.txt"), "").splitlines() if l]
    sizes = {f: os.path.getsize(f) for f in files}
    largest = max(files, key=sizes.get)
    total = sum(sizes.values())
    excluded = tsv(os.path.join(outdir, "excluded.tsv"))
    versions = tsv(os.path.join(outdir, "versions.tsv"))
    machine = tsv(os.path.join(outdir, "machine.tsv"))
    hf = load_hyperfine(outdir)
    samples = sample_origins(root)
    command = (read(os.path.join(outdir, "command.txt"), "bash scripts/bench") or "").strip()

    rss = {}
    for _, slug, _ in TOOLS:
        text = read(os.path.join(outdir, "rss-%s.txt" % slug))
        if text:
            vals = [int(x) for x in re.findall(r"^\d+$", text, re.M)]
            if vals:
                rss[slug] = (max(vals), min(vals), len(vals))

    L = []
    w = L.append
    w(BEGIN)
    w("")
    w("Produced by `%s` on %s." % (command, read(os.path.join(outdir, "date.txt"), "?").strip()))
    w("")
    w("### Machine and versions")
    w("")
    w("| | |")
    w("|---|---|")
    for k, v in machine + versions:
        w("| %s | %s |" % (k, v))
    w("")

    ndex = len([l for l in read(os.path.join(outdir, "dex.txt"), "").splitlines() if l])
    w("### Input set")
    w("")
    by_origin = {}
    for f in files:
        key = "corpus" if "/target/corpus/" in f else ("framework-res" if f.startswith("/usr/share/") else "samples")
        by_origin[key] = by_origin.get(key, 0) + 1
    w(
        "%d APKs, %.1f MiB in total: %d corpus APKs (`target/corpus/*.apk`), Debian's "
        "`framework-res.apk` and %d third-party APKs from `target/samples/apk/` "
        "(`scripts/fetch-samples`; the registry package of each is in the list below and in "
        "[samples.md](samples.md)). Largest input: `%s`, %s bytes (%.1f MiB). %d of these APKs "
        "hold a `classes.dex` (`dexdump` gets those); the other %d have no DEX code."
        % (
            len(files), total / MiB, by_origin.get("corpus", 0), by_origin.get("samples", 0),
            largest, format(sizes[largest], ","), sizes[largest] / MiB,
            ndex, len(files) - ndex,
        )
    )
    w("")
    if excluded:
        w("Left out, because at least one peer cannot open them (so no tool would be timed on the same work):")
        w("")
        for path, reason in excluded:
            w("* `%s` (%s): %s" % (os.path.basename(path), origin(path, samples), reason))
        w("")
    w("<details><summary>All %d files</summary>" % len(files))
    w("")
    w("| file | bytes | from |")
    w("|---|---:|---|")
    for f in sorted(files, key=lambda f: (-sizes[f], f)):
        w("| `%s` | %s | %s |" % (os.path.basename(f), format(sizes[f], ","), origin(f, samples)))
    w("")
    w("</details>")
    w("")

    w("### Wall time over the whole set (hyperfine)")
    w("")
    w("One process per tool handles all %d files. Mean ± standard deviation of the wall time; "
      "user and system CPU time are per run." % len(files))
    w("")
    w("| tool | extracts | runs | mean ± σ [s] | min … max [s] | user [s] | system [s] |")
    w("|---|---|---:|---:|---:|---:|---:|")
    for name, slug, what in TOOLS:
        r = hf.get(name)
        if r is None:
            w("| %s | %s | – | not run | | | |" % (name, what))
            continue
        w(
            "| %s | %s | %d | %s ± %s | %s … %s | %s | %s |"
            % (name, what, len(r["times"]), fmt_s(r["mean"]), fmt_s_like(r["stddev"] or 0.0, r["mean"]), fmt_s(r["min"]),
               fmt_s(r["max"]), fmt_s(r["user"]), fmt_s(r["system"]))
        )
    w("")
    for label, name in (("hf-fast.md", "warm-up and runs as in the command above"), ("hf-full.md", "")):
        text = read(os.path.join(outdir, label))
        if text:
            w("<details><summary>hyperfine's own export (`%s`)</summary>" % label)
            w("")
            w(text.strip())
            w("")
            w("</details>")
            w("")

    w("### Speed-up of hyper-migrate")
    w("")
    w("Peer mean wall time divided by ours (above 1: we are faster). The last column divides "
      "CPU time (user + system) instead, which other load on the machine disturbs less.")
    w("")
    w("| peer | wall, vs `-j 1` | wall, vs default `-j` | CPU time, vs `-j 1` |")
    w("|---|---:|---:|---:|")

    def ratio(x):
        return "%.2f×" % x if x < 10 else "%.0f×" % x

    def cpu(r):
        return r["user"] + r["system"]

    for name, _, _ in TOOLS:
        if name in OURS or name not in hf:
            continue
        cells = [ratio(hf[name]["mean"] / hf[o]["mean"]) if o in hf else "–" for o in OURS]
        cells.append(ratio(cpu(hf[name]) / cpu(hf[OURS[0]])) if OURS[0] in hf else "–")
        w("| %s | %s |" % (name, " | ".join(cells)))
    w("")

    w("### Peak memory (max RSS)")
    w("")
    w(
        "GNU `time -f %%M` around every hyperfine run (warm-up included); the largest value is shown. For "
        "the aapt + dexdump shell loop it is the largest single `aapt`/`dexdump` process. RSS counts "
        "the pages of memory-mapped input files that are resident, as well as heap. Largest input: %s."
        % fmt_mib(sizes[largest] / 1024)
    )
    w("")
    w("| tool | max RSS | ÷ largest input | below largest input? |")
    w("|---|---:|---:|---|")
    for name, slug, _ in TOOLS:
        if slug not in rss:
            continue
        kib = rss[slug][0]
        ratio = kib * 1024 / sizes[largest]
        w("| %s | %s | %.2f | %s |" % (name, fmt_mib(kib), ratio, "yes" if ratio < 1 else "**no**"))
    w("")
    splits = []
    for slug, name in (("ours-j1", OURS[0]), ("ours-jd", OURS[1])):
        text = read(os.path.join(outdir, "rss-split-%s.json" % slug))
        if text:
            splits.append((name, json.loads(text)))
    if splits:
        w("Where our peak comes from (`scripts/bench.d/rss.py` polls `/proc/PID/status` every ~0.5 ms "
          "during one extra run over the whole set; RssAnon/RssFile are sampled peaks, VmHWM the kernel's):")
        w("")
        w("| run | peak RssAnon (heap, stacks) | peak RssFile (mapped input + binary) | VmHWM |")
        w("|---|---:|---:|---:|")
        for name, s in splits:
            w("| %s | %s | %s | %s |" % (name, fmt_mib(s["RssAnon"]), fmt_mib(s["RssFile"]), fmt_mib(s["VmHWM"])))
        w("")

    cg = (read(os.path.join(outdir, "callgrind.txt"), "") or "").strip()
    if cg:
        w("### Instruction count")
        w("")
        w(
            "`valgrind --tool=callgrind` on `hyper-migrate analyze --format jsonl -j 1 framework-res.apk` "
            "(%.1f MiB; Debian's build has no DEX and no signature): **%s instructions** (`Collected`). Valgrind's "
            "virtual CPU has no SHA extensions, so the SHA-256 of the file runs the portable code "
            "here, unlike the timed runs on this CPU." % (sizes.get("/usr/share/android-framework-res/framework-res.apk", 0) / MiB,
                                                       format(int(cg), ","))
        )
        top = read(os.path.join(outdir, "callgrind-top.txt"), "") or ""
        groups = {}
        for m in re.finditer(r"^\s*([\d,]+) \(\s*[\d.]+%\)\s+\S*?:(.*)$", top, re.M):
            fn = m.group(2)
            key = ("SHA-256 (`sha2`)" if "sha2::" in fn else "CRC-32 (`crc32fast`)" if "crc32fast" in fn
                   else "zip reader (`analyzer::zip`)" if "analyzer::zip" in fn else None)
            if key:
                groups[key] = groups.get(key, 0) + int(m.group(1).replace(",", ""))
        if groups:
            w(" Of those, by the exclusive counts `callgrind_annotate` lists: " + ", ".join(
                "%s %.1f%%" % (k, 100.0 * v / int(cg)) for k, v in sorted(groups.items(), key=lambda kv: -kv[1])) +
              "; the whole-file SHA-256 (the report's `sha256` field) is most of the work for this "
              "resource-only, unsigned APK.")
            extra = L.pop()
            L[-1] += extra
        w("")

    cc = (read(os.path.join(outdir, "crosscheck.txt"), "") or "").strip()
    if cc:
        w("### Output check")
        w("")
        w("Before timing, `scripts/bench.d/crosscheck.py` compared our JSONL with `aapt dump badging` "
          "(package, versionCode, versionName, minSdk, targetSdk, native-code) and `dexdump -f` "
          "(DEX entries, versions, class_defs_size) file by file:")
        w("")
        w("```")
        w(cc)
        w("```")
        w("")

    w("### Targets")
    w("")
    w("| target | result |")
    w("|---|---|")

    def verdict(ok):
        return "met" if ok else "**not met**"

    for o in OURS:
        if o in hf and "androguard AnalyzeAPK()" in hf:
            x = hf["androguard AnalyzeAPK()"]["mean"] / hf[o]["mean"]
            w("| ≥ 20× faster than androguard `AnalyzeAPK` (%s) | %.0f× — %s |" % (o, x, verdict(x >= 20)))
    for o in OURS:
        if o in hf and "apk-info APK()" in hf:
            x = hf["apk-info APK()"]["mean"] / hf[o]["mean"]
            w("| faster than apk-info's manifest-only parse (%s) | %s s vs %s s, %.2f× — %s |" % (
                o, fmt_s(hf[o]["mean"]), fmt_s(hf["apk-info APK()"]["mean"]), x, verdict(x > 1)))
    for o, slug in zip(OURS, ("ours-j1", "ours-jd")):
        if slug in rss:
            kib = rss[slug][0]
            w("| peak memory below the largest input (%s) | %s vs %s — %s |" % (
                o, fmt_mib(kib), fmt_mib(sizes[largest] / 1024), verdict(kib * 1024 < sizes[largest])))
    w("")
    w(END)
    text = "\n".join(L) + "\n"

    with open(os.path.join(outdir, "results.md"), "w", encoding="utf-8") as f:
        f.write(text)
    if docs:
        page = read(docs)
        if page is None or BEGIN not in page or END not in page:
            sys.stderr.write("report.py: %s has no results markers; results are in %s/results.md\n" % (docs, outdir))
            return 1
        head, rest = page.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        with open(docs + ".tmp", "w", encoding="utf-8") as f:
            f.write(head + text.rstrip("\n") + tail)
        os.replace(docs + ".tmp", docs)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
