#!/usr/bin/env python3
"""Peer drivers for scripts/bench: one interpreter per tool, looping over every file.

usage: peers.py TOOL LISTFILE [--check]

TOOL is one of:
  androguard-full   androguard.misc.AnalyzeAPK (APK + every DEX + Analysis.create_xref())
  androguard-apk    androguard.core.apk.APK (zip + AndroidManifest.xml; the getters
                    below resolve @string/... values through resources.arsc)
  apk-info          apk_info.APK (Rust extension from PyPI: zip + manifest + arsc)

LISTFILE holds one path per line. Every file is parsed and the same manifest facts as
`aapt dump badging` are read (package, versionCode, versionName, minSdk, targetSdk), so
no parser can skip its work lazily. Output goes to stdout, one line per file, which the
benchmark sends to /dev/null.

A file that raises is reported on stderr and the exit status is 1 at the end, so a
hyperfine run (which checks exit codes) fails loudly instead of timing an early exit.
With --check, stdout gets one line per file: "ok<TAB>path<TAB>facts" or
"FAIL<TAB>path<TAB>error".
"""
import sys


def quiet_androguard():
    # androguard 4 logs through loguru at DEBUG level by default; the logging alone
    # costs a lot of time, so switch it off (a user would do the same).
    from loguru import logger

    logger.remove()


def make_androguard_full():
    quiet_androguard()
    from androguard.misc import AnalyzeAPK

    def run(path):
        a, d, dx = AnalyzeAPK(path)
        return (
            a.get_package(),
            a.get_androidversion_code(),
            a.get_androidversion_name(),
            a.get_min_sdk_version(),
            a.get_target_sdk_version(),
            "dex=%d" % len(d),
            "classes=%d" % sum(1 for _ in dx.get_classes()),
        )

    return run


def make_androguard_apk():
    quiet_androguard()
    from androguard.core.apk import APK

    def run(path):
        a = APK(path)
        return (
            a.get_package(),
            a.get_androidversion_code(),
            a.get_androidversion_name(),
            a.get_min_sdk_version(),
            a.get_target_sdk_version(),
        )

    return run


def make_apk_info():
    from apk_info import APK

    def run(path):
        a = APK(path)
        return (
            a.get_package_name(),
            a.get_version_code(),
            a.get_version_name(),
            a.get_min_sdk_version(),
            a.get_target_sdk_version(),
        )

    return run


TOOLS = {
    "androguard-full": make_androguard_full,
    "androguard-apk": make_androguard_apk,
    "apk-info": make_apk_info,
}


def main(argv):
    if len(argv) < 3 or argv[1] not in TOOLS:
        sys.stderr.write(__doc__)
        return 2
    check = "--check" in argv[3:]
    run = TOOLS[argv[1]]()
    with open(argv[2], encoding="utf-8") as f:
        paths = [line.rstrip("\n") for line in f if line.strip()]
    failed = 0
    out = sys.stdout
    for path in paths:
        try:
            facts = run(path)
        except Exception as e:  # noqa: BLE001 - report every kind of parser failure
            failed += 1
            msg = ("%s: %s" % (type(e).__name__, e)).replace("\n", " ")[:300]
            sys.stderr.write("%s: %s: %s\n" % (argv[1], path, msg))
            if check:
                out.write("FAIL\t%s\t%s\n" % (path, msg))
            continue
        if check:
            out.write("ok\t%s\t%s\n" % (path, " ".join(map(str, facts))))
        else:
            out.write("%s\t%s\n" % (path, facts))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
