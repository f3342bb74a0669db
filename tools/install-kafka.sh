#!/usr/bin/env bash
# Resolve the Apache Kafka (KRaft) runtime jars from Maven Central into
# $REPO/.tools/kafka/libs (uses the normal ~/.m2 cache).
# Idempotent: skipped when the stamp matches the sha256 of tools/kafka/pom.xml.
# Safe to run concurrently (flock).
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
POM="$REPO/tools/kafka/pom.xml"
OUT="$REPO/.tools/kafka"
LIBS="$OUT/libs"
STAMP="$OUT/.stamp"
log() { echo "[tools] kafka: $*" >&2; }

want="$(sha256sum "$POM" | cut -d' ' -f1)"
up_to_date() {
  [[ -f "$STAMP" && "$(cat "$STAMP")" == "$want" ]] && compgen -G "$LIBS/kafka_2.13-*.jar" >/dev/null
}
if up_to_date; then
  log "jars up to date in $LIBS ($(ls "$LIBS" | wc -l) jars)"
  exit 0
fi

mkdir -p "$OUT"
exec 9>"$OUT/.lock"
flock 9
if up_to_date; then   # another process finished it while we waited
  log "jars up to date in $LIBS"
  exit 0
fi

command -v mvn  >/dev/null 2>&1 || { log "ERROR: 'mvn' not found on PATH"; exit 1; }
command -v java >/dev/null 2>&1 || { log "ERROR: 'java' (17+) not found on PATH"; exit 1; }

log "resolving jars from Maven Central (first run downloads ~40 MB, takes a minute)…"
start=$(date +%s)
tmp="$OUT/libs.tmp.$$"
trap 'rm -rf "$tmp"' EXIT
rm -rf "$tmp"; mkdir -p "$tmp"
# (Debian's Maven 3.8 emits stray ANSI resets even with -B; strip them.)
mvn -q -B -Dstyle.color=never -f "$POM" dependency:copy-dependencies \
  -DincludeScope=runtime -DoutputDirectory="$tmp" 2>&1 | sed -u 's/\x1b\[[0-9;]*m//g' >&2
rm -rf "$LIBS"
mv "$tmp" "$LIBS"
echo "$want" > "$STAMP"
log "$(ls "$LIBS" | wc -l) jars in $LIBS ($(( $(date +%s) - start ))s)"
