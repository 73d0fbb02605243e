#!/usr/bin/env bash
# Checks formatting and lints, runs every test of the workspace (the privacy
# screen's corpus test among them), then a short smoke run of the load tool
# (fan-out and reconnect storm, a few hundred viewers for a few seconds) so
# the tool itself cannot rot. Needs only Rust (cargo); nothing else to install.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo test --workspace --locked "$@"
cargo build --locked -p gallery -p gallery-load
load=target/debug/gallery-load
"$load" bench --label smoke-fanout --viewers 300 --sse-percent 10 --rate 5 --duration 3 --workers 2 --check
"$load" bench --label smoke-storm --viewers 300 --sse-percent 10 --rate 5 --duration 4 --workers 2 --storm --check
