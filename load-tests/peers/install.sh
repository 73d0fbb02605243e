#!/usr/bin/env bash
# Installs the peer servers gallery-load compares Gallery with:
#   - Node's `ws` package (npm) for the Node broadcast relay,
#   - nats-server (Debian) with its websocket listener.
# Safe to run again; it skips what is already there.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ ! -d "$here/node-ws/node_modules/ws" ]; then
  (cd "$here/node-ws" && npm install --no-audit --no-fund --silent)
fi
if ! command -v nats-server >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq nats-server; \
  else sudo apt-get update -qq && sudo apt-get install -y -qq nats-server; fi
fi
echo "peers installed: node $(node --version), ws $(node -p "require('$here/node-ws/node_modules/ws/package.json').version"), $(nats-server --version)"
