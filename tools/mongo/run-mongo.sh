#!/usr/bin/env bash
# Run the dev MongoDB-wire server (mongo-java-server + H2 file backend) in the
# FOREGROUND. The JVM replaces this shell (exec), so the caller owns the process;
# SIGTERM closes the server and the H2 store cleanly.
#
# usage: tools/mongo/run-mongo.sh DATA_FILE PORT
#   DATA_FILE  H2 MVStore file (created with its parent dir), e.g. .run/mongo/data.mv
#   PORT       listens on 127.0.0.1:PORT  (MONGODB_URI=mongodb://127.0.0.1:PORT)
# Prints "[mongo] listening on 127.0.0.1:PORT (data …)" on stdout once bound.
# env:
#   MONGO_HEAP_OPTS  default "-Xms32m -Xmx256m"
#   MONGO_JAVA_OPTS  extra JVM flags appended last
#   MONGO_LOG_LEVEL  slf4j-simple level for the server's own logs (default warn;
#                    when unset, per-request failures, which the client receives
#                    as errors anyway, are not logged with stack traces)
#   JAVA             java binary (default: java on PATH, 17+)
set -euo pipefail
if [[ $# -ne 2 ]]; then
  echo "usage: $0 DATA_FILE PORT" >&2
  exit 2
fi
DATA_FILE="$1"; PORT="$2"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
TOOLS="$REPO/.tools/mongo"
JAVA="${JAVA:-java}"

# Cheap no-op when the build is current.
"$REPO/tools/install-mongo.sh"

LOG_OPTS=(-Dorg.slf4j.simpleLogger.defaultLogLevel="${MONGO_LOG_LEVEL:-warn}")
if [[ -z "${MONGO_LOG_LEVEL:-}" ]]; then
  # e.g. a stack trace for every drop() of a missing collection / duplicate key
  LOG_OPTS+=(-Dorg.slf4j.simpleLogger.log.de.bwaldvogel.mongo.wire=off)
fi

echo "[tools] mongo: starting on 127.0.0.1:$PORT, data $DATA_FILE" >&2
# shellcheck disable=SC2086  # word-splitting of the *_OPTS variables is intended
exec "$JAVA" \
  ${MONGO_HEAP_OPTS:--Xms32m -Xmx256m} \
  -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:+ExitOnOutOfMemoryError \
  -Djava.awt.headless=true \
  -Dorg.slf4j.simpleLogger.logFile=System.out \
  "${LOG_OPTS[@]}" \
  -Dorg.slf4j.simpleLogger.showDateTime=true \
  -Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS \
  -Dorg.slf4j.simpleLogger.showThreadName=false \
  -Dorg.slf4j.simpleLogger.showShortLogName=true \
  ${MONGO_JAVA_OPTS:-} \
  -cp "$TOOLS/mongo-server.jar:$TOOLS/libs/*" stablebrowse.mongo.MongoMain "$DATA_FILE" "$PORT"
