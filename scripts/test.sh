#!/usr/bin/env bash
# Checks formatting and lints, runs every test of the workspace (the privacy
# screen's corpus test among them), then a short smoke run of the load tool
# (fan-out, reconnect storm and Q&A storm, a few hundred viewers for a few
# seconds) so the tool itself cannot rot; then the pages: their JavaScript
# type-checked (TypeScript's checkJs, nothing emitted) and the browser tests
# in Debian's Chromium (Playwright, axe-core). Installs what is missing:
# Chromium with apt-get, the npm packages from tests/browser's lockfile.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo test --workspace --locked "$@"
cargo build --locked -p gallery -p gallery-load
load=target/debug/gallery-load
"$load" bench --label smoke-fanout --viewers 300 --sse-percent 10 --rate 5 --duration 3 --workers 2 --check
"$load" bench --label smoke-storm --viewers 300 --sse-percent 10 --rate 5 --duration 4 --workers 2 --storm --check
# The Q&A storm, small: 300 viewers, 40 questions, two racing moderators,
# every viewer voting three times, answers every 5 s; fails on any lost or
# duplicated question, vote, answer or update.
"$load" qa --label smoke-qa --viewers 300 --askers 40 --duration 15 --rate 1 --workers 2 --answer-every 5 --check

# The pages, in a real browser: Debian's Chromium and Node (for npm,
# TypeScript and Playwright), installed when missing.
missing=""
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
command -v npm >/dev/null 2>&1 || missing="$missing nodejs npm"
if [ -n "$missing" ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -q
  $sudo apt-get install -y -q $missing
fi
cd tests/browser
npm ci --no-audit --no-fund --loglevel=error
npx tsc -p tsconfig.json
npx playwright test
