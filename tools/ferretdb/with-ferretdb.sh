#!/usr/bin/env bash
# Run a command against a fresh FerretDB on PostgreSQL 15 (run-ferretdb.sh in a new temporary
# directory, free port): STABLEBROWSE_TEST_MONGODB_URI points at it, so the test stack
# (tests/conftest.py) uses it instead of the embedded store. Both are stopped and the
# directory removed afterwards; the command's exit code is returned.
#
# usage: tools/ferretdb/with-ferretdb.sh COMMAND [ARGS…]
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
log() { echo "[ferretdb] $*" >&2; }

dir="$(mktemp -d /tmp/stablebrowse-ferretdb.XXXXXX)"
port="$(python3 "$HERE/../../dev/stack/ports.py")"  # below the ephemeral range (see ports.py)
bash "$HERE/run-ferretdb.sh" "$dir" "$port" >"$dir/run.log" 2>&1 &
server=$!
stop() {
  kill -TERM "$server" 2>/dev/null && wait "$server" || true
  rm -rf "$dir"
}
trap stop EXIT

deadline=$(( $(date +%s) + 120 ))
until grep -q "serving on" "$dir/run.log"; do
  if ! kill -0 "$server" 2>/dev/null || (( $(date +%s) > deadline )); then
    log "FerretDB did not start:"; cat "$dir/run.log" >&2; exit 1
  fi
  sleep 0.2
done
log "FerretDB 1.24.2 on PostgreSQL 15 at mongodb://127.0.0.1:$port/ (data $dir)"
STABLEBROWSE_TEST_MONGODB_URI="mongodb://127.0.0.1:$port/" "$@"
