"""Shared fixtures: one real stack per test session (the same start-up code as `make up`),
on free ports beside any dev stack; each test gets its own business."""
import http.server
import json
import os
import pathlib
import subprocess
import threading
import time
import uuid

import httpx
import pytest

from dev.stack import embedded
from tests.scripted_llm import ScriptedLLM

REPO = pathlib.Path(__file__).resolve().parent.parent


class Stack:
    """A running stack: where it listens and how to reach its database."""

    def __init__(self, state_dir: pathlib.Path, info: dict, proc: subprocess.Popen | None = None):
        self.state_dir = state_dir
        self.proc = proc
        self.stopped_early = False  # the supervisor had exited before the session ended
        self.base_url: str = info["baseUrl"]
        self.mongodb_uri: str = info["mongodbUri"]
        self.kafka: str = info["kafkaBootstrapServers"]
        self.ports: dict = info["ports"]
        self.info = info
        # The services' shared token (dev/stack made it on first start unless the environment set it).
        made = state_dir / "internal.token"
        self.internal_token = made.read_text().strip() if made.exists() else os.environ["STABLEBROWSE_INTERNAL_TOKEN"]

    def admin(self, *args: str) -> str:
        """Runs the real admin CLI against this stack's scheduler (and webhooks service)."""
        env = embedded.admin_env(self.state_dir, self.info)
        out = subprocess.run(
            [str(REPO / ".venv/bin/stablebrowse-admin"), *args], env=env, capture_output=True, text=True, timeout=60
        )
        assert out.returncode == 0, out.stderr
        return out.stdout

    def log_tail(self, lines: int = 60) -> str:
        try:
            return "\n".join((self.state_dir / "stack.log").read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def check_running(self) -> None:
        """Fails the test at once, with the supervisor's log, when the session's stack has stopped:
        otherwise every later test waits out its timeouts on refused connections."""
        if self.proc is not None and self.proc.poll() is not None:
            pytest.fail(f"the test stack stopped (supervisor exit {self.proc.returncode}); its log ends:\n"
                        f"{self.log_tail()}", pytrace=False)


# Settings of the test stack: the scripted LLM, a short hard timeout and fast loss detection.
TEST_ENV = {
    "STABLEBROWSE_TASK_TIMEOUT_MS": "20000",
    "STABLEBROWSE_WORKER_SILENCE_SECONDS": "6",
    "STABLEBROWSE_REAPER_INTERVAL_SECONDS": "1",
    "STABLEBROWSE_HEARTBEAT_SECONDS": "1",
    "STABLEBROWSE_LLM_MODEL": "scripted",
    "STABLEBROWSE_ALLOWED_HOSTS": "localhost",
    "STABLEBROWSE_EVENTS_KEEPALIVE_SECONDS": "1",
    # A step's screenshot may wait this long here (default 2 s): a shared, loaded CPU must not drop one.
    "STABLEBROWSE_SCREENSHOT_TIMEOUT_MS": "10000",
    # Indexed answers at submit: a deadline a loaded test machine meets (production: 150 ms).
    "STABLEBROWSE_SUBMIT_INDEXER_TIMEOUT_MS": "5000",
    # Webhooks to a local receiver, retried after half a second (three attempts).
    "STABLEBROWSE_WEBHOOK_ALLOWED_HOSTS": "localhost",
    "STABLEBROWSE_WEBHOOK_RETRY_DELAYS": "0.5,0.5",
}


_started_stacks: list[Stack] = []


def pytest_terminal_summary(terminalreporter):
    """After the run: what the session stack's supervisor said about parts that died or restarted,
    so a failure on a machine nobody can log into still says what happened to the stack."""
    for started in _started_stacks:
        said = [line for line in started.log_tail(2000).splitlines()
                if "exited" in line or "keeps dying" in line or "start failed" in line]
        if said:  # tests kill parts on purpose: their restarts are listed, logs only if the stack gave up
            terminalreporter.section("test stack: parts that died")
            for line in said[-40:]:
                terminalreporter.write_line(line)
            for log in sorted((started.state_dir / "logs").glob("*.log")) if started.stopped_early else []:
                terminalreporter.write_line(f"--- {log.name} (end)")
                for line in log.read_text(errors="replace").splitlines()[-15:]:
                    terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def llm():
    server = ScriptedLLM()
    yield server
    server.close()


@pytest.fixture(scope="session")
def stack(tmp_path_factory, llm) -> Stack:
    state_dir = tmp_path_factory.mktemp("stack")
    os.environ.update(TEST_ENV, STABLEBROWSE_LLM_BASE_URL=llm.base_url)
    try:
        # The embedded store unless STABLEBROWSE_TEST_MONGODB_URI names another (make test-ferretdb).
        proc, info = embedded.start(state_dir, env={"MONGODB_URI": os.environ.get("STABLEBROWSE_TEST_MONGODB_URI")})
    except embedded.StackStartError as exc:
        pytest.fail(str(exc))
    started = Stack(state_dir, info, proc)
    _started_stacks.append(started)
    # Services a test builds in this process are part of the same deployment.
    os.environ["STABLEBROWSE_INTERNAL_TOKEN"] = started.internal_token
    yield started
    started.stopped_early = proc.poll() is not None
    embedded.stop(proc)


@pytest.fixture
def business(stack):
    """A fresh business for this test: {businessId, keyId, apiKey}."""
    stack.check_running()
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


@pytest.fixture
def local_site():
    """Serves pages made by a function, at http://localhost:PORT (on the test stack's allow-list).

    `local_site(page)` where page(path) -> (body, headers); returns the base URL. A page
    with a Location header is a 302. Every server started is stopped after the test."""
    servers = []

    def start(page) -> str:
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                body, headers = page(self.path)
                self.send_response(302 if any(name.lower() == "location" for name, _ in headers) else 200)
                for name, value in [("Content-Type", "text/html"), ("Content-Length", str(len(body))), *headers]:
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://localhost:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
