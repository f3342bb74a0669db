#!/usr/bin/env bash
# Run FerretDB v1.24.2 on PostgreSQL 15 in the FOREGROUND: a MongoDB-wire-protocol server
# whose documents live in PostgreSQL tables (the "real engine" beside the embedded store).
#
# usage: tools/ferretdb/run-ferretdb.sh DATA_DIR PORT
#   DATA_DIR  PostgreSQL cluster in DATA_DIR/postgresql (initdb on first use, kept after),
#             its log in DATA_DIR/postgresql.log
#   PORT      FerretDB listens on 127.0.0.1:PORT  (MONGODB_URI=mongodb://127.0.0.1:PORT/)
# PostgreSQL listens on a free 127.0.0.1 port of its own (trust auth, loopback only) and
# runs as the `postgres` user when started as root (it refuses to run as root).
# SIGTERM/SIGINT stop FerretDB, then PostgreSQL (fast shutdown). A SIGKILL of this script
# leaves PostgreSQL running: stop it with pg_ctl -D DATA_DIR/postgresql stop.
# Prints "[ferretdb] serving on 127.0.0.1:PORT" once FerretDB listens.
set -euo pipefail
if [[ $# -ne 2 ]]; then
  echo "usage: $0 DATA_DIR PORT" >&2
  exit 2
fi
PORT="$2"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
PG_BIN=/usr/lib/postgresql/15/bin
log() { echo "[tools] ferretdb: $*" >&2; }

# Cheap no-op when the build is current.
"$REPO/tools/install-ferretdb.sh"

mkdir -p "$1"
DATA_DIR="$(cd "$1" && pwd)"
PGDATA="$DATA_DIR/postgresql"
as_pg() {
  if [[ "$(id -u)" -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}
if [[ "$(id -u)" -eq 0 ]]; then
  mkdir -p "$PGDATA"
  chown postgres: "$DATA_DIR" "$PGDATA"
  as_pg test -w "$PGDATA" || { log "ERROR: user postgres cannot reach $PGDATA (a parent directory is closed)"; exit 1; }
fi
if [[ ! -f "$PGDATA/PG_VERSION" ]]; then
  log "initdb $PGDATA"
  as_pg "$PG_BIN/initdb" -D "$PGDATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$DATA_DIR/initdb.log"
fi
PG_PORT="$(python3 "$HERE/../../dev/stack/ports.py")"  # below the ephemeral range (see ports.py)
log "PostgreSQL 15 on 127.0.0.1:$PG_PORT, data $PGDATA"
as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$DATA_DIR/postgresql.log" -w -t 60 -s \
  -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$PGDATA" start
stop_postgresql() { as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -m fast -w -s stop || true; }
trap stop_postgresql EXIT
as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -qtAc \
  "SELECT 1 FROM pg_database WHERE datname = 'ferretdb'" | grep -q 1 \
  || as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres ferretdb

"$REPO/.tools/ferretdb/ferretdb" "127.0.0.1:$PORT" "postgres://postgres@127.0.0.1:$PG_PORT/ferretdb" &
ferretdb=$!
trap 'kill -TERM "$ferretdb" 2>/dev/null || true' TERM INT
# `wait` returns early when a trapped signal arrives; wait again for FerretDB to finish.
code=0
wait "$ferretdb" || code=$?
if kill -0 "$ferretdb" 2>/dev/null; then wait "$ferretdb" || code=$?; fi
exit "$code"
