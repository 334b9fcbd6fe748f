#!/usr/bin/env bash
# One run of the pipeline people use today to change an APK's manifest, as scripts/bench-fix
# times it: apktool d -> edit the decoded AndroidManifest.xml -> apktool b -> zipalign -> apksigner.
#
# usage: peer.sh WORK IN OUT ATTRS KEY CERT [STEPS]
#   WORK   a directory of scripts/bench-fix's own: $HOME for apktool (Debian's wrapper creates
#          ~/.local/share/apktool/framework on every call), the -p framework dir, java's tmpdir
#          and each run's scratch directory (removed when the run ends)
#   ATTRS  comma-separated manifest attributes to remove (debuggable,testOnly,maxSdkVersion),
#          or '-' for none (a decode + rebuild round trip, then re-align and re-sign)
#   STEPS  all (default); decode (apktool d only: for inputs apktool b cannot rebuild, whose
#          decode time is then a lower bound of the pipeline's); resign (zipalign + apksigner
#          on IN itself, no apktool: the floor of any pipeline that re-signs; ATTRS must be -)
# Paths must not contain whitespace (hyperfine -N splits command lines on it).
set -euo pipefail
(($# == 6 || $# == 7)) || { sed -n '5,15p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
work=$1 in=$2 out=$3 attrs=$4 key=$5 cert=$6 steps=${7:-all}
case $steps in all | decode | resign) ;; *) echo "peer.sh: STEPS must be all, decode or resign, not '$steps'" >&2; exit 2 ;; esac
[[ $steps != resign || $attrs == - ]] || { echo "peer.sh: resign cannot change the manifest (ATTRS must be -)" >&2; exit 2; }

export HOME=$work/home
mkdir -p "$HOME" "$work/frame" "$work/jtmp"
run=$(mktemp -d "$work/run.XXXXXX")
trap 'rm -rf "$run"' EXIT
# A failed step says which it was: scripts/bench-fix reports it.
step() { "$@" || { local rc=$?; echo "peer.sh: '$1 $2' exited $rc" >&2; exit "$rc"; }; }
apktool_() { step apktool "-JDjava.io.tmpdir=$work/jtmp" "$@"; }

# remove_attributes DIR: the edit, made as a person would make it on apktool's output.
remove_attributes() {
    local name names
    IFS=, read -ra names <<<"$attrs"
    for name in "${names[@]}"; do
        if [[ $name == minSdkVersion || $name == targetSdkVersion || $name == maxSdkVersion ]]; then
            # apktool moves <uses-sdk> out of the manifest into apktool.yml's sdkInfo
            # and hands it back to aapt as --min/target/max-sdk-version when building.
            sed -i "/^  $name: /d" "$1/apktool.yml"
        else
            sed -i -E "s/[[:space:]]+android:$name=\"[^\"]*\"//g" "$1/AndroidManifest.xml"
        fi
    done
}

built=$in
if [[ $steps != resign ]]; then
    # -s: the DEX files are copied, not disassembled; a manifest change does not need smali,
    # and this is the peer's fastest way to make one. -p: the framework dir inside $work.
    apktool_ d -s -f -p "$work/frame" -o "$run/dec" "$in"
    [[ $steps == decode ]] && exit 0
    [[ $attrs == - ]] || remove_attributes "$run/dec"
    apktool_ b -p "$work/frame" -o "$run/built.apk" "$run/dec"
    built=$run/built.apk
fi
step zipalign -p -f 4 "$built" "$run/aligned.apk"
# v1/v2/v3 by apksigner's defaults (v1 only below minSdk 24), as fix signs; no v4 .idsig file,
# which fix does not write either.
step apksigner sign --v4-signing-enabled false --key "$key" --cert "$cert" --out "$out" "$run/aligned.apk"
