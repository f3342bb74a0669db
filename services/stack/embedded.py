"""Start a whole stack as a child process on free ports (tests and benchmarks).

The same supervisor as `make up`; returns once it reports ready.
"""
import json
import os
import pathlib
import signal
import subprocess
import sys
import time

from services.stack.config import REPO


class StackStartError(RuntimeError):
    """The stack did not become ready; the message carries the end of its log."""


def start(state_dir: pathlib.Path, *extra: str, timeout: float = 300,
          env: dict[str, str | None] | None = None) -> tuple[subprocess.Popen, dict]:
    """`env` overrides this process's environment for the stack; a None value unsets a name."""
    state_dir.mkdir(parents=True, exist_ok=True)
    child_env = {**os.environ, **{k: v for k, v in (env or {}).items() if v is not None}}
    for name in [k for k, v in (env or {}).items() if v is None]:
        child_env.pop(name, None)
    with open(state_dir / "stack.log", "ab") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "services.stack", "run", "--state-dir", str(state_dir), "--ephemeral-ports", *extra],
            cwd=REPO, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, env=child_env,
        )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            info = json.loads((state_dir / "stack.json").read_text())
            if info["state"] == "ready":
                return proc, info
        except (OSError, ValueError):
            pass
        time.sleep(0.2)
    stop(proc)
    raise StackStartError("stack did not start:\n" + (state_dir / "stack.log").read_text()[-4000:])


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(90)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
