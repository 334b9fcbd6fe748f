#!/usr/bin/env python3
"""Cross-check hyper-migrate's JSONL report against `aapt dump badging` and `dexdump -f`.

usage: crosscheck.py REPORT.jsonl LIST

For every file of LIST: package, versionCode, versionName, minSdk (aapt's sdkVersion),
targetSdkVersion and native-code ABIs against aapt; DEX count, versions and class_defs_size
against dexdump. A mismatch is printed, one line each; it does not stop the benchmark (the
numbers are still timed), but the summary line says how many there were. Exit status 0.
"""
import json
import re
import subprocess
import sys


def aapt_facts(path):
    r = subprocess.run(["aapt", "dump", "badging", path], capture_output=True, text=True, errors="replace")
    if r.returncode != 0:
        return None
    facts = {}
    for line in r.stdout.splitlines():
        if line.startswith("package:"):
            for key, name in (("name", "package"), ("versionCode", "version_code"), ("versionName", "version_name")):
                m = re.search(r"\b%s='([^']*)'" % key, line)
                facts[name] = m.group(1) if m else None
        elif line.startswith("sdkVersion:"):
            facts["min_sdk"] = line.split(":", 1)[1].strip("'")
        elif line.startswith("targetSdkVersion:"):
            facts["target_sdk"] = line.split(":", 1)[1].strip("'")
        elif line.startswith("native-code:"):
            facts["abis"] = sorted(re.findall(r"'([^']*)'", line))
    facts.setdefault("abis", [])
    return facts


def dexdump_facts(path):
    r = subprocess.run(["dexdump", "-f", path], capture_output=True, text=True, errors="replace")
    if r.returncode != 0:
        return None
    out = []
    for line in r.stdout.splitlines():
        # A single-DEX APK is named without a ":classes.dex" suffix.
        m = re.match(r"Opened '.*?(?::(classes\d*\.dex))?', DEX version '(\d+)'", line)
        if m:
            out.append([m.group(1) or "classes.dex", int(m.group(2)), None])
        m = re.match(r"class_defs_size\s*:\s*(\d+)", line)
        if m and out and out[-1][2] is None:
            out[-1][2] = int(m.group(1))
    return [tuple(x) for x in out]


def norm(v):
    return "" if v is None else str(v)


def main(report, listfile):
    ours = {}
    with open(report, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                rec = json.loads(line)
                ours[rec["file"]] = rec
    paths = [l.rstrip("\n") for l in open(listfile, encoding="utf-8") if l.strip()]
    bad = 0
    for path in paths:
        rec = ours.get(path)
        if rec is None or rec.get("error"):
            print("  MISMATCH %s: no report from hyper-migrate (%s)" % (path, rec and rec.get("error")))
            bad += 1
            continue
        facts = rec.get("facts") or {}
        a = aapt_facts(path)
        if a is not None:
            for key in ("package", "version_code", "version_name", "min_sdk", "target_sdk"):
                if key in a and norm(a[key]) != norm(facts.get(key)):
                    print("  MISMATCH %s: %s aapt=%r ours=%r" % (path, key, a[key], facts.get(key)))
                    bad += 1
            if a["abis"] != sorted(facts.get("abis") or []):
                print("  MISMATCH %s: abis aapt=%r ours=%r" % (path, a["abis"], facts.get("abis")))
                bad += 1
        d = dexdump_facts(path)
        if d is not None:
            mine = [(x["entry"], x["version"], x["class_defs"]) for x in facts.get("dex") or []]
            if sorted(d) != sorted(mine):
                print("  MISMATCH %s: dex dexdump=%r ours=%r" % (path, d, mine))
                bad += 1
    print("crosscheck: %d files, %d mismatches against aapt/dexdump" % (len(paths), bad))
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.stderr.write(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
