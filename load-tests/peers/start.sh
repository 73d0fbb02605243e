#!/usr/bin/env bash
# Starts one peer server by hand (gallery-load starts them itself for a run).
#   peers/start.sh node [PORT]   Node ws broadcast relay (default port 9001)
#   peers/start.sh nats          nats-server: TCP 4222, websocket 9002
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
"$here/install.sh" >/dev/null
case "${1:-}" in
  node) PORT="${2:-9001}" exec node "$here/node-ws/server.js" ;;
  nats) exec nats-server -c "$here/nats/nats.conf" ;;
  *) echo "usage: $0 node [PORT] | nats" >&2; exit 2 ;;
esac
