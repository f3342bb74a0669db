"""Local stack: `run` (foreground), `up` (background, returns once healthy), `down`, `status`."""
import argparse
import asyncio
import json
import logging
import os
import pathlib
import signal
import sys
import time

from dev.stack import embedded, supervisor
from dev.stack.config import REPO, StackConfig
from dev.stack.embedded import alive, read_state, wait_ready


def up(state_dir: pathlib.Path, timeout: float, extra: list[str]) -> int:
    state = read_state(state_dir)
    if state and alive(state["pid"]):
        print(f"[stack] already running (pid {state['pid']}, {state['state']}): {state['baseUrl']}")
        return 0 if wait_ready(state_dir, lambda: alive(state["pid"]), timeout) else 1
    proc = embedded.spawn(state_dir, *extra)
    if wait_ready(state_dir, lambda: proc.poll() is None, timeout, follow=True):
        return 0
    print("[stack] failed to start; see the log above and", state_dir / "logs")
    embedded.stop(proc)
    return 1


def down(state_dir: pathlib.Path) -> int:
    state = read_state(state_dir)
    if not state or not alive(state["pid"]):
        print("[stack] not running")
        return 0
    pid = state["pid"]
    print(f"[stack] stopping (pid {pid})")
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 90
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    if alive(pid):
        print("[stack] did not stop in time; killing its process group")
        os.killpg(pid, signal.SIGKILL)
    print("[stack] down")
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m dev.stack", description=__doc__)
    p.add_argument("command", choices=["run", "up", "down", "status"])
    p.add_argument("--state-dir", type=pathlib.Path, default=REPO / ".run")
    p.add_argument("--ephemeral-ports", action="store_true", help="pick free ports (tests, benchmarks)")
    p.add_argument("--timeout", type=float, default=300.0, help="how long `up` waits for readiness")
    p.add_argument("--without", action="append", default=[], metavar="PART",
                   help="leave a part out (e.g. browser, for a submit benchmark)")
    args = p.parse_args(argv)
    state_dir = args.state_dir.resolve()
    if args.command == "run":
        logging.basicConfig(level=logging.WARNING, format="[stack] %(name)s: %(message)s")
        logging.getLogger("aiokafka").setLevel(logging.CRITICAL)  # probes expect refusals while parts start
        config = StackConfig.ephemeral(state_dir) if args.ephemeral_ports else StackConfig.from_env(state_dir)
        config.components = tuple(c for c in config.components if c not in args.without)
        return asyncio.run(supervisor.run(config))
    if args.command == "up":
        return up(state_dir, args.timeout, ["--ephemeral-ports"] if args.ephemeral_ports else [])
    if args.command == "down":
        return down(state_dir)
    state = read_state(state_dir)
    print(json.dumps(state, indent=2) if state else "not running")
    return 0


if __name__ == "__main__":
    sys.exit(main())
