#!/usr/bin/env bash
# Install Debian's chromium (used by the browser service through Playwright's
# executable_path; never `playwright install`). Idempotent: does nothing when
# /usr/bin/chromium exists. Runs `apt-get update` only if apt has no candidate.
set -euo pipefail
CHROMIUM=/usr/bin/chromium
log() { echo "[tools] chromium: $*" >&2; }

if [[ -x "$CHROMIUM" ]]; then
  log "present: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
  exit 0
fi

SUDO=()
if [[ "$(id -u)" -ne 0 ]]; then
  command -v sudo >/dev/null 2>&1 || { log "ERROR: need root (or sudo) to apt-get install chromium"; exit 1; }
  SUDO=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive

candidate="$(apt-cache policy chromium 2>/dev/null | awk '/Candidate:/ {print $2}')"
if [[ -z "$candidate" || "$candidate" == "(none)" ]]; then
  log "apt-get update (no chromium candidate in the package lists yet)…"
  "${SUDO[@]}" apt-get update -q >&2
fi
log "apt-get install chromium (with its dependencies; takes a few minutes)…"
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >&2
log "installed: $("$CHROMIUM" --version 2>/dev/null)"
