"""Starts the stack in order, waits for each part to be ready, restarts what dies, stops it all."""
import asyncio
import json
import logging
import os
import signal
import time

from dev.stack import components as parts
from dev.stack import devkey
from dev.stack.config import StackConfig
from dev.stack.process import Child

log = logging.getLogger("stack")

MAX_RESTARTS = 5
STABLE_SECONDS = 60.0  # a part up this long has its restart count forgiven


def is_crash(returncode: int | None, up_seconds: float) -> bool:
    """Whether a death counts towards stopping the stack: a part exiting with an error soon
    after its start. One stopped by a signal or exiting cleanly was stopped by someone (a test
    killing it on purpose, an operator, the OOM killer): it is restarted without counting."""
    return returncode is not None and returncode > 0 and up_seconds < STABLE_SECONDS


def say(message: str) -> None:
    print(f"[stack] {message}", flush=True)


class StartFailed(Exception):
    """A part did not become ready."""


class Supervisor:
    def __init__(self, config: StackConfig):
        self.config = config
        self.children: list[tuple[parts.Component, Child]] = []
        self.state_file = config.state_dir / "stack.json"
        self.stopping = asyncio.Event()
        self.started_at: dict[str, float] = {}

    def write_state(self, state: str, **extra) -> None:
        pids = {c.name: child.pid for c, child in self.children if child.running}
        body = {"state": state, "pid": os.getpid(), "pids": pids, **self.config.to_json(), **extra}
        tmp = self.state_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(body, indent=2))
        tmp.replace(self.state_file)

    async def start_all(self) -> None:
        self.config.logs_dir.mkdir(parents=True, exist_ok=True)
        for sub in ("mongo", "kafka"):
            (self.config.state_dir / sub).mkdir(exist_ok=True)
        for component in parts.build(self.config):
            if self.stopping.is_set():
                raise StartFailed("interrupted")
            child = Child(component.name, component.argv, {**self.config.service_env(), **component.env},
                          self.config.logs_dir / f"{component.name}.log")
            self.children.append((component, child))
            await self._start_one(component, child)

    async def _start_one(self, component: parts.Component, child: Child) -> None:
        began = time.monotonic()
        say(f"starting {component.name} (log: {child.log_path})")
        await child.start()
        deadline = began + component.ready_timeout
        while not await component.ready():
            if not child.running:
                raise StartFailed(f"{component.name} exited with code {child.returncode}:\n{child.log_tail()}")
            if time.monotonic() > deadline:
                raise StartFailed(f"{component.name} not ready after {component.ready_timeout:.0f}s:\n{child.log_tail()}")
            await asyncio.sleep(0.1)
        self.started_at[component.name] = time.monotonic()
        say(f"{component.name} ready in {time.monotonic() - began:.1f}s")

    async def watch(self) -> None:
        """Restarts a part that died, with backoff, until told to stop. A part that keeps crashing
        soon after each start stops the stack (is_crash); one killed or stopped (tests do this on
        purpose, many times a session) is restarted each time."""
        restarts: dict[str, int] = {}
        while not self.stopping.is_set():
            for component, child in self.children:
                if child.running or self.stopping.is_set():
                    continue
                up_seconds = time.monotonic() - self.started_at.get(component.name, 0.0)
                if not is_crash(child.returncode, up_seconds):
                    restarts[component.name] = 0
                count = restarts.get(component.name, 0) + 1
                restarts[component.name] = count
                if count > MAX_RESTARTS:
                    say(f"{component.name} keeps dying; stopping the stack. Last log lines:\n{child.log_tail()}")
                    self.stopping.set()
                    return
                say(f"{component.name} exited (code {child.returncode}); restart {count}/{MAX_RESTARTS}")
                await asyncio.sleep(min(2 ** count * 0.5, 10))
                try:
                    await self._start_one(component, child)
                    self.write_state("ready")
                except StartFailed as exc:
                    say(str(exc))
            try:
                await asyncio.wait_for(self.stopping.wait(), 1.0)
            except TimeoutError:
                pass

    async def stop_all(self) -> None:
        for component, child in reversed(self.children):
            if child.running:
                say(f"stopping {component.name}")
                await child.stop()


async def run(config: StackConfig) -> int:
    config.state_dir.mkdir(parents=True, exist_ok=True)
    supervisor = Supervisor(config)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, supervisor.stopping.set)
    supervisor.write_state("starting")
    began = time.monotonic()
    code = 0
    try:
        await supervisor.start_all()
        key = await devkey.ensure(config) if config.dev_key else None
        supervisor.write_state("ready", startSeconds=round(time.monotonic() - began, 2))
        say(f"ready in {time.monotonic() - began:.1f}s")
        devkey.banner(config, key)
        await supervisor.watch()
    except StartFailed as exc:
        say(f"start failed: {exc}")
        code = 1
    finally:
        supervisor.write_state("stopping")
        await supervisor.stop_all()
        supervisor.state_file.unlink(missing_ok=True)
        say("stopped")
    return code
