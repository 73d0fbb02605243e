#!/usr/bin/env bash
# Compare Gallery's corpus against open-source PHI filters (see README.md).
#
#   scripts/peer-screen/run.sh [peer_screen.py options...]
#
# Creates (or reuses) a venv in $PEER_SCREEN_VENV (default: target/peer-screen-venv),
# installs the pinned requirements from PyPI, then runs peer_screen.py on the corpus
# in tests/screening/. Unless --json is given, the JSON goes to
# target/peer-screen/results.json. Does not build or run any Rust.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="${PEER_SCREEN_VENV:-$root/target/peer-screen-venv}"
python="${PYTHON:-python3}"

if [[ ! -x "$venv/bin/python" ]]; then
    echo "creating venv in $venv" >&2
    "$python" -m venv "$venv"
fi
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$here/requirements.txt" | cut -d' ' -f1)"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
        -r "$here/requirements.txt"
    echo "$want" > "$stamp"
fi

args=("$@")
have_json=0
for a in "${args[@]+"${args[@]}"}"; do
    [[ "$a" == --json || "$a" == --json=* ]] && have_json=1
done
if [[ $have_json -eq 0 ]]; then
    mkdir -p "$root/target/peer-screen"
    args+=(--json "$root/target/peer-screen/results.json")
fi

cd "$root"
exec "$venv/bin/python" "$here/peer_screen.py" --root "$root" "${args[@]}"
