#!/usr/bin/env bash
# Runs independent Binder peers from crates.io through the shim: rsb_hub (rsbinder-tools,
# unmodified) as the context manager, and peer_service and peer_client (this project:
# rsbinder + rsbinder-aidl) registering, finding and calling a service. Three times: all three
# in one sandbox; each in a sandbox of its own, the three joined to one Binder world
# (`hyper-compat binder-world`); and the service and client in two sandboxes of a world whose
# context manager is HyperCompat's own service manager, the client also calling the native
# microkernel service echo_service through it, and the native parcel_client calling the
# rsbinder service.
#
#   run.sh            the checks (a few seconds once built)
#   PEER_LAZY=1 run.sh  also the lazy-service contract (about 15 s more per run: rsb_hub polls)
#
# rsb_hub is `cargo install`ed into $RSB_TOOLS_ROOT (default: the workspace's
# target/rsbinder-tools) when missing: about 4 minutes on 2 cores.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../../.." && pwd)
tools=${RSB_TOOLS_ROOT:-$repo/target/rsbinder-tools}
if [ ! -x "$tools/bin/rsb_hub" ]; then
    cargo install --locked --root "$tools" rsbinder-tools --version 0.12.0
fi
cargo build --release --manifest-path "$here/Cargo.toml" --target-dir "$here/target"
cargo build --release --manifest-path "$repo/Cargo.toml" -p art-host -p microkernel --bin hyper-compat --bin echo_service --bin parcel_client
app=$(mktemp -d)
trap 'rm -rf "$app"' EXIT
cp "$tools/bin/rsb_hub" "$here"/target/release/peer_{run,service,client} "$app/"
cd "$app"
echo "== one sandbox: rsb_hub, the service and the client share its Binder"
"$repo/target/release/hyper-compat" run --app-root "$app" -- \
    /usr/bin/env ${PEER_LAZY:+PEER_LAZY=1} ./peer_run
echo "== three sandboxes joined to one Binder world"
./peer_run --sandboxes "$repo/target/release/hyper-compat" "$app"
echo "== two sandboxes in a world served by HyperCompat's service manager, with a native service"
./peer_run --service-manager "$repo/target/release/hyper-compat" "$app" \
    "$repo/target/release/echo_service" "$repo/target/release/parcel_client"
