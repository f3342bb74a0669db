"""Starting the supervisor as a detached child and waiting until it says ready.

The one way a stack is started in the background: `make up`, tests and benchmarks."""
import json
import os
import pathlib
import signal
import subprocess
import sys
import threading
import time

from dev.stack.config import REPO


class StackStartError(RuntimeError):
    """The stack did not become ready; the message carries the end of its log."""


def read_state(state_dir: pathlib.Path) -> dict | None:
    try:
        return json.loads((state_dir / "stack.json").read_text())
    except (OSError, ValueError):
        return None


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False


def spawn(state_dir: pathlib.Path, *args: str, env: dict[str, str | None] | None = None) -> subprocess.Popen:
    """`python -m dev.stack run` in its own session, logging to state_dir/stack.log.
    `env` overrides this process's environment; a None value unsets a name."""
    state_dir.mkdir(parents=True, exist_ok=True)
    child_env = {**os.environ, **{k: v for k, v in (env or {}).items() if v is not None}}
    for name in [k for k, v in (env or {}).items() if v is None]:
        child_env.pop(name, None)
    with open(state_dir / "stack.log", "ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "dev.stack", "run", "--state-dir", str(state_dir), *args],
            cwd=REPO, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
            env=child_env,
        )


def wait_ready(state_dir: pathlib.Path, running, timeout: float, follow: bool = False) -> dict | None:
    """The stack's state once ready; None if it stopped or the deadline passed.
    With `follow`, the stack's log is echoed while waiting (progress for `make up`)."""
    log_path = state_dir / "stack.log"
    offset = log_path.stat().st_size if follow and log_path.exists() else 0
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if follow and log_path.exists():
            with open(log_path, "rb") as f:
                f.seek(offset)
                chunk = f.read()
            offset += len(chunk)
            sys.stdout.write(chunk.decode(errors="replace"))
            sys.stdout.flush()
        state = read_state(state_dir)
        if state and state["state"] == "ready":
            return state
        if not running():
            return None
        time.sleep(0.2)
    return None


def start(state_dir: pathlib.Path, *extra: str, timeout: float = 300,
          env: dict[str, str | None] | None = None) -> tuple[subprocess.Popen, dict]:
    """A whole stack on free ports, ready; raises StackStartError with its log otherwise."""
    exit_on_sigterm()
    proc = spawn(state_dir, "--ephemeral-ports", *extra, env=env)
    info = wait_ready(state_dir, lambda: proc.poll() is None, timeout)
    if info is None:
        stop(proc)
        raise StackStartError("stack did not start:\n" + (state_dir / "stack.log").read_text()[-4000:])
    return proc, info


def exit_on_sigterm() -> None:
    """SIGTERM to the process that started a stack unwinds it like Ctrl-C, so the `finally` that
    stops the stack runs (by default SIGTERM ends Python at once, leaving the stack running in
    its own session). Only in the main thread, and only over the default handler."""
    if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
        signal.signal(signal.SIGTERM, lambda signum, _frame: sys.exit(128 + signum))


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(90)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def admin_env(state_dir: pathlib.Path, info: dict) -> dict[str, str]:
    """The environment of `stablebrowse-admin` for a stack started here: the caller's (vault keys
    included), where the scheduler and the webhooks service listen, and the services' token."""
    made = state_dir / "internal.token"
    token = made.read_text().strip() if made.exists() else os.environ.get("STABLEBROWSE_INTERNAL_TOKEN", "")
    ports = info["ports"]
    return {**os.environ, "STABLEBROWSE_SCHEDULER_TARGET": f"127.0.0.1:{ports['scheduler_port']}",
            "STABLEBROWSE_WEBHOOKS_TARGET": f"127.0.0.1:{ports['webhooks_port']}",
            "STABLEBROWSE_INTERNAL_TOKEN": token}
