#!/usr/bin/env bash
# The aapt + dexdump peer for scripts/bench: `aapt dump badging` on every file of LIST, then
# `dexdump -f` on every file of DEXLIST (the APKs that hold a classes.dex; dexdump opens an
# APK directly and walks classes.dex, classes2.dex, ... itself). Output goes to stdout, which
# the benchmark sends to /dev/null. The first failure stops the loop with a non-zero status,
# so hyperfine reports it instead of timing a short run.
# usage: aapt-dexdump.sh LIST DEXLIST
set -u
list=$1 dexlist=$2
while IFS= read -r f; do
    aapt dump badging "$f" || { echo "aapt-dexdump.sh: aapt dump badging failed on $f" >&2; exit 1; }
done <"$list"
while IFS= read -r f; do
    dexdump -f "$f" || { echo "aapt-dexdump.sh: dexdump -f failed on $f" >&2; exit 1; }
done <"$dexlist"
