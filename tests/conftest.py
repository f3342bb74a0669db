"""Shared fixtures: one real stack per test session (the same start-up code as `make up`),
on free ports beside any dev stack; each test gets its own business."""
import json
import os
import pathlib
import signal
import subprocess
import sys
import time
import uuid

import httpx
import pytest

REPO = pathlib.Path(__file__).resolve().parent.parent
STACK_START_TIMEOUT = 300


class Stack:
    """A running stack: where it listens and how to reach its database."""

    def __init__(self, state_dir: pathlib.Path, info: dict):
        self.state_dir = state_dir
        self.base_url: str = info["baseUrl"]
        self.mongodb_uri: str = info["mongodbUri"]
        self.kafka: str = info["kafkaBootstrapServers"]
        self.ports: dict = info["ports"]

    def admin(self, *args: str) -> str:
        """Runs the real admin CLI against this stack's database."""
        env = {**os.environ, "MONGODB_URI": self.mongodb_uri}
        out = subprocess.run(
            [str(REPO / ".venv/bin/stablebrowse-admin"), *args], env=env, capture_output=True, text=True, timeout=60
        )
        assert out.returncode == 0, out.stderr
        return out.stdout

    def log(self, component: str) -> str:
        return (self.state_dir / "logs" / f"{component}.log").read_text(errors="replace")


def start_stack(state_dir: pathlib.Path, *extra: str) -> tuple[subprocess.Popen, dict]:
    state_dir.mkdir(parents=True, exist_ok=True)
    log = open(state_dir / "stack.log", "ab")
    proc = subprocess.Popen(
        [sys.executable, "-m", "services.stack", "run", "--state-dir", str(state_dir), "--ephemeral-ports", *extra],
        cwd=REPO, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    deadline = time.monotonic() + STACK_START_TIMEOUT
    while time.monotonic() < deadline:
        try:
            info = json.loads((state_dir / "stack.json").read_text())
            if info["state"] == "ready":
                return proc, info
        except (OSError, ValueError):
            pass
        if proc.poll() is not None:
            break
        time.sleep(0.2)
    proc.terminate()
    pytest.fail("stack did not start:\n" + (state_dir / "stack.log").read_text()[-4000:])


def stop_stack(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(90)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


@pytest.fixture(scope="session")
def stack(tmp_path_factory) -> Stack:
    state_dir = tmp_path_factory.mktemp("stack")
    proc, info = start_stack(state_dir)
    yield Stack(state_dir, info)
    stop_stack(proc)


@pytest.fixture
def business(stack):
    """A fresh business for this test: {businessId, keyId, apiKey}."""
    return json.loads(stack.admin("business", "create", f"test-{uuid.uuid4().hex[:8]}", "--json"))


@pytest.fixture
def api(stack, business):
    """An HTTP client through Envoy, authenticated as this test's business."""
    with httpx.Client(base_url=stack.base_url, headers={"Authorization": f"Bearer {business['apiKey']}"}, timeout=30) as client:
        yield client


def wait_terminal(client: httpx.Client, task_id: str, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        record = client.get(f"/v1/tasks/{task_id}").json()
        if record["status"] in ("completed", "failed"):
            return record
        time.sleep(0.1)
    raise AssertionError(f"task {task_id} not terminal after {timeout}s: {record}")
