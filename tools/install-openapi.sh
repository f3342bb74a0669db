#!/usr/bin/env bash
# Install protoc-gen-openapiv2 v2.33.0 (grpc-gateway) into $REPO/.tools/bin via the Go
# module proxy (go install). tools/gen_protos.py uses it, when present, to generate
# gen/openapi.json (Swagger 2.0) from protos/stablebrowse/tasks/v1/tasks.proto.
# Idempotent: skipped when .tools/bin/protoc-gen-openapiv2 was built from the pinned version.
# Caches: the normal Go module and build caches (go env GOMODCACHE GOCACHE).
set -euo pipefail
VERSION="v2.33.0"
MODULE="github.com/grpc-ecosystem/grpc-gateway/v2"
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN_DIR="$REPO/.tools/bin"
PLUGIN="$BIN_DIR/protoc-gen-openapiv2"
log() { echo "[tools] protoc-gen-openapiv2: $*" >&2; }

command -v go >/dev/null 2>&1 || PATH="$PATH:/usr/local/go/bin"
command -v go >/dev/null 2>&1 || { log "ERROR: 'go' not found on PATH (or /usr/local/go/bin)"; exit 1; }

if [[ -x "$PLUGIN" ]]; then
  # The module version is stamped into the binary's build info.
  have="$(go version -m "$PLUGIN" 2>/dev/null | awk -v m="$MODULE" '$1 == "mod" && $2 == m {print $3}')"
  if [[ "$have" == "$VERSION" ]]; then
    log "$VERSION already installed at $PLUGIN"
    exit 0
  fi
  log "found ${have:-unknown version} at $PLUGIN, reinstalling $VERSION"
  rm -f "$PLUGIN"
fi

mkdir -p "$BIN_DIR"
log "go install $MODULE/protoc-gen-openapiv2@$VERSION (first run downloads+compiles, takes a minute)…"
start=$(date +%s)
GOBIN="$BIN_DIR" go install -trimpath "$MODULE/protoc-gen-openapiv2@$VERSION"
log "installed $VERSION at $PLUGIN in $(( $(date +%s) - start ))s"
