"""Drill: kill -9 of the embedded MongoDB-protocol server while submissions stream in.
A 201 is a promise: every task that was answered 201 is readable afterwards."""
import collections
import json
import os
import signal
import threading
import time
import uuid

import httpx
import pytest

from dev.stack import embedded
from tests.conftest import TEST_ENV, Stack

ROUNDS = 3
SUBMITTERS = 4


@pytest.fixture(scope="module")
def drill_stack(tmp_path_factory) -> Stack:
    """A stack of its own (the drill spends the store's restarts), always on the embedded store,
    without the parts a submission does not need: tasks stay pending."""
    state_dir = tmp_path_factory.mktemp("drill")
    without = [arg for part in ("replica", "llm", "indexer", "browser") for arg in ("--without", part)]
    try:
        proc, info = embedded.start(state_dir, *without, env={**TEST_ENV, "MONGODB_URI": None})
    except embedded.StackStartError as exc:
        pytest.fail(str(exc))
    yield Stack(state_dir, info)
    embedded.stop(proc)


class Submissions:
    """Submits tasks from a few threads until stopped; remembers every task answered 201."""

    def __init__(self, base_url: str, api_key: str):
        self.base_url = base_url
        self.headers = {"Authorization": f"Bearer {api_key}"}
        self.accepted: list[str] = []
        self.refused: collections.Counter = collections.Counter()
        self.changed = threading.Condition()
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._submit, daemon=True) for _ in range(SUBMITTERS)]

    def __enter__(self) -> "Submissions":
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(60)

    def _submit(self) -> None:
        with httpx.Client(base_url=self.base_url, headers=self.headers, timeout=30) as client:
            while not self.stopping.is_set():
                body = {"endUserId": f"drill-{uuid.uuid4().hex[:6]}", "task": "What is the title?"}
                task_id, refusal = None, None
                try:
                    response = client.post("/v1/tasks", json=body)
                    if response.status_code == 201:
                        task_id = response.json()["taskId"]
                    else:
                        refusal = response.status_code
                except httpx.HTTPError as exc:
                    refusal = type(exc).__name__
                with self.changed:
                    if task_id:
                        self.accepted.append(task_id)
                    else:
                        self.refused[refusal] += 1
                    self.changed.notify_all()

    def wait_accepted(self, count: int, timeout: float) -> None:
        with self.changed:
            if not self.changed.wait_for(lambda: len(self.accepted) >= count, timeout):
                raise AssertionError(f"only {len(self.accepted)} of {count} submissions accepted "
                                     f"after {timeout}s; refusals {dict(self.refused)}")


def mongo_pid(stack: Stack) -> int | None:
    return json.loads((stack.state_dir / "stack.json").read_text())["pids"].get("mongo")


def wait_for(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def test_no_accepted_task_is_lost_when_the_store_is_killed(drill_stack):
    business = json.loads(drill_stack.admin("business", "create", f"drill-{uuid.uuid4().hex[:8]}", "--json"))
    drill_stack.admin("quota", "set", business["businessId"], "--requests-per-minute", "1000000",
                      "--max-concurrent", "1000000")
    with Submissions(drill_stack.base_url, business["apiKey"]) as submissions:
        for _ in range(ROUNDS):
            old = mongo_pid(drill_stack)
            # The stream is flowing: writes were acknowledged in the moment before the kill.
            submissions.wait_accepted(len(submissions.accepted) + 30, 120)
            os.kill(old, signal.SIGKILL)
            wait_for(lambda: mongo_pid(drill_stack) not in (None, old), 120, "the store to be restarted")  # noqa: B023 (wait_for calls it now)
            submissions.wait_accepted(len(submissions.accepted) + 20, 120)
        accepted = list(submissions.accepted)
    with httpx.Client(base_url=drill_stack.base_url, headers={"Authorization": f"Bearer {business['apiKey']}"},
                      timeout=30) as client:
        lost = [task_id for task_id in accepted if client.get(f"/v1/tasks/{task_id}").status_code != 200]
    assert not lost, f"{len(lost)} of {len(accepted)} tasks answered 201 are gone: {lost[:5]}"
