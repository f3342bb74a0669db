#!/usr/bin/env bash
# Install helm v3.22.0 into $REPO/.tools/bin via the Go module proxy (go install).
# Idempotent: skipped when .tools/bin/helm already reports the pinned version.
# Caches: the normal Go module and build caches (go env GOMODCACHE GOCACHE).
set -euo pipefail
HELM_VERSION="v3.22.0"
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN_DIR="$REPO/.tools/bin"
HELM="$BIN_DIR/helm"
log() { echo "[tools] helm: $*" >&2; }

if [[ -x "$HELM" ]]; then
  have="$("$HELM" version --template '{{.Version}}' 2>/dev/null || true)"
  if [[ "$have" == "$HELM_VERSION" ]]; then
    log "$HELM_VERSION already installed at $HELM"
    exit 0
  fi
  log "found ${have:-unknown version} at $HELM, reinstalling $HELM_VERSION"
  rm -f "$HELM"   # go install refuses to overwrite a file it did not build
fi

# The official Go tarball installs to /usr/local/go, often not on a non-login PATH.
command -v go >/dev/null 2>&1 || PATH="$PATH:/usr/local/go/bin"
command -v go >/dev/null 2>&1 || { log "ERROR: 'go' not found on PATH (or /usr/local/go/bin)"; exit 1; }
mkdir -p "$BIN_DIR"
log "go install helm.sh/helm/v3/cmd/helm@$HELM_VERSION (first run downloads+compiles, takes minutes)…"
start=$(date +%s)
# -trimpath keeps the binary reproducible; ldflags stamp the version like upstream's Makefile does.
GOBIN="$BIN_DIR" go install -trimpath \
  -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION" \
  "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
log "installed $("$HELM" version --template '{{.Version}}') at $HELM in $(( $(date +%s) - start ))s"
