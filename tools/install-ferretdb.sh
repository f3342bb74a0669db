#!/usr/bin/env bash
# Build FerretDB v1.24.2 (tools/ferretdb: its embedded Go package behind a small main, pinned
# in go.mod/go.sum) into $REPO/.tools/ferretdb/ferretdb, and install Debian's postgresql-15
# when /usr/lib/postgresql/15/bin is missing (FerretDB's PostgreSQL handler stores there).
# Idempotent: the build is skipped when .tools/ferretdb/.stamp equals the sha256 of
# tools/ferretdb/{go.mod,go.sum,main.go}. Caches: the normal Go module and build caches.
# Safe to run concurrently (flock).
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SRC="$REPO/tools/ferretdb"
OUT="$REPO/.tools/ferretdb"
BIN="$OUT/ferretdb"
STAMP="$OUT/.stamp"
PG_BIN=/usr/lib/postgresql/15/bin
log() { echo "[tools] ferretdb: $*" >&2; }

install_postgresql() {
  [[ -x "$PG_BIN/postgres" ]] && return 0
  local sudo=()
  if [[ "$(id -u)" -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 || { log "ERROR: need root (or sudo) to apt-get install postgresql-15"; exit 1; }
    sudo=(sudo)
  fi
  local candidate
  candidate="$(apt-cache policy postgresql-15 2>/dev/null | awk '/Candidate:/ {print $2}')"
  if [[ -z "$candidate" || "$candidate" == "(none)" ]]; then
    log "apt-get update (no postgresql-15 candidate in the package lists yet)…"
    "${sudo[@]}" apt-get update -q >&2
  fi
  log "apt-get install postgresql-15…"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql-15 >&2
}

want="$(cd "$SRC" && sha256sum go.mod go.sum main.go | sha256sum | cut -d' ' -f1)"
up_to_date() { [[ -f "$STAMP" && "$(cat "$STAMP")" == "$want" && -x "$BIN" ]]; }

install_postgresql
if up_to_date; then
  log "server up to date in $OUT"
  exit 0
fi
mkdir -p "$OUT"
exec 9>"$OUT/.lock"
flock 9
if up_to_date; then   # another process finished it while we waited
  log "server up to date in $OUT"
  exit 0
fi

# The official Go tarball installs to /usr/local/go, often not on a non-login PATH.
command -v go >/dev/null 2>&1 || PATH="$PATH:/usr/local/go/bin"
command -v go >/dev/null 2>&1 || { log "ERROR: 'go' not found on PATH (or /usr/local/go/bin)"; exit 1; }
log "go build FerretDB v1.24.2 (cold: about 4-7 min on 2 cores; seconds with a warm Go build cache)…"
start=$(date +%s)
(cd "$SRC" && go build -trimpath -o "$BIN.tmp" .)
mv -f "$BIN.tmp" "$BIN"
echo "$want" > "$STAMP"
log "built $BIN in $(( $(date +%s) - start ))s"
