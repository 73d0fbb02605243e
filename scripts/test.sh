#!/usr/bin/env bash
# Runs every test of the workspace. Needs only Rust (cargo); nothing else to install yet.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --workspace --locked "$@"
