#!/usr/bin/env bash
# The named load scenarios of the load-test issue. Each writes
# results/<name>.json, .md and .svg. Run from the repository root or here:
#
#   load-tests/scenarios.sh all          # everything (about 30 minutes)
#   load-tests/scenarios.sh fanout-1hz   # one scenario
#
# Needs a release build (cargo build --release --workspace) and, for the
# peers, load-tests/peers/install.sh.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
load="$here/../target/release/gallery-load"
out="$here/results"
mkdir -p "$out"

fanout_1hz() { "$load" compare --label fanout-1hz --counts 1000,5000,10000,19000 --rate 1 --duration 20 --out "$out/fanout-1hz"; }
fanout_5hz() { "$load" compare --label fanout-5hz --counts 1000,5000,10000,19000 --rate 5 --duration 20 --out "$out/fanout-5hz"; }
burst() { "$load" compare --label burst --counts 10000 --burst 20 --burst-ms 100 --out "$out/burst"; }
slow_readers() {
  "$load" bench --label slow-baseline --viewers 10000 --rate 1 --duration 20 --out "$out/slow-baseline"
  "$load" bench --label slow-5pct --viewers 10000 --slow-percent 5 --rate 1 --duration 20 --out "$out/slow-5pct"
}
storm() { "$load" bench --label storm --viewers 10000 --sse-percent 10 --rate 1 --duration 20 --storm --max-connections 10200 --out "$out/storm"; }
idle() { "$load" compare --label idle --counts 19000 --idle --duration 30 --out "$out/idle"; }
qa_storm() { "$load" qa --label qa-storm --viewers 10000 --askers 1000 --rate 1 --duration 60 --answer-every 10 --workers 4 --pairs 3 --out "$out/qa-storm"; }
writes() { "$load" writes --sessions 50 --writers 4 --duration 10 | tee "$out/writes.md"; }

case "${1:-all}" in
  fanout-1hz) fanout_1hz ;;
  fanout-5hz) fanout_5hz ;;
  burst) burst ;;
  slow-readers) slow_readers ;;
  storm) storm ;;
  idle) idle ;;
  writes) writes ;;
  qa-storm) qa_storm ;;
  all) fanout_1hz; fanout_5hz; burst; slow_readers; storm; idle; writes; qa_storm ;;
  *) echo "unknown scenario: $1 (fanout-1hz fanout-5hz burst slow-readers storm idle writes qa-storm all)" >&2; exit 2 ;;
esac
