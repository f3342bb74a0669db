#!/usr/bin/env bash
# Build the dev MongoDB-wire server (tools/mongo: mongo-java-server + H2 backend)
# from Maven Central into $REPO/.tools/mongo/{mongo-server.jar,libs/}.
# Idempotent: skipped when the stamp matches the sha256 of the pom + sources.
# Safe to run concurrently (flock).
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SRC="$REPO/tools/mongo"
OUT="$REPO/.tools/mongo"
STAMP="$OUT/.stamp"
log() { echo "[tools] mongo: $*" >&2; }

want="$(cd "$SRC" && find pom.xml src -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)"
up_to_date() {
  [[ -f "$STAMP" && "$(cat "$STAMP")" == "$want" && -f "$OUT/mongo-server.jar" && -d "$OUT/libs" ]]
}
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

command -v mvn  >/dev/null 2>&1 || { log "ERROR: 'mvn' not found on PATH"; exit 1; }
command -v java >/dev/null 2>&1 || { log "ERROR: 'java' (17+) not found on PATH"; exit 1; }

log "building the mongo-java-server wrapper, resolving jars from Maven Central (first run takes a minute)…"
start=$(date +%s)
build="$OUT/build"
tmp="$OUT/libs.tmp.$$"
trap 'rm -rf "$tmp" "$build"' EXIT
rm -rf "$build" "$tmp"
# (Debian's Maven 3.8 emits stray ANSI resets even with -B; strip them.)
mvn -q -B -Dstyle.color=never -f "$SRC/pom.xml" -Dmongo.build.dir="$build" -DskipTests \
  package dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$tmp" \
  2>&1 | sed -u 's/\x1b\[[0-9;]*m//g' >&2
rm -rf "$OUT/libs"
mv "$tmp" "$OUT/libs"
cp -f "$build/mongo-server.jar" "$OUT/mongo-server.jar"
echo "$want" > "$STAMP"
log "built $OUT/mongo-server.jar + $(ls "$OUT/libs" | wc -l) jars in libs/ ($(( $(date +%s) - start ))s)"
