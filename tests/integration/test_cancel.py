"""POST /v1/tasks/{id}/cancel through Envoy: pending tasks never start, running ones stop and
free their browser slot, ended ones stay as they were."""
import json
import threading
import time

import httpx

from tests.conftest import wait_terminal
from tests.integration.test_agent import submit
from tests.integration.test_event_stream import gated
from tests.scripted_llm import finish_with_title

HN = "https://news.ycombinator.com/"


def wait_for(condition, timeout: float = 60, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"{what} not reached within {timeout}s")


def running_with_steps(api, task_id: str):
    record = api.get(f"/v1/tasks/{task_id}").json()
    return record if record["status"] == "running" and record.get("stepSummaries") else None


def test_cancelling_a_running_task_stops_it_and_frees_its_browser_slot(api, llm):
    gate = threading.Event()
    try:
        held = submit(api, llm.script(gated(gate, finish_with_title)), startUrl=HN)
        wait_for(lambda: running_with_steps(api, held["taskId"]), what="the first task running")
        response = api.post(f"/v1/tasks/{held['taskId']}/cancel")
        assert response.status_code == 200, response.text
        record = response.json()
        assert (record["status"], record["errorCode"]) == ("failed", "cancelled")
        assert "stablebrowse-cancel" not in response.headers
        # The worker has two browser slots: two new held tasks both run only if the cancelled
        # task gave its slot (and its context) back.
        others = [submit(api, llm.script(gated(gate, finish_with_title)), startUrl=HN) for _ in range(2)]
        for other in others:
            wait_for(lambda: running_with_steps(api, other["taskId"]), what="a new task running in the freed slot")  # noqa: B023 (wait_for calls it now)
    finally:
        gate.set()
    for other in others:
        assert wait_terminal(api, other["taskId"])["status"] == "completed"
    assert api.get(f"/v1/tasks/{held['taskId']}").json()["errorCode"] == "cancelled"


def test_a_cancelled_pending_task_never_starts(api, llm):
    gate = threading.Event()
    try:
        first = submit(api, llm.script(gated(gate, finish_with_title)), startUrl=HN)
        wait_for(lambda: running_with_steps(api, first["taskId"]), what="the first turn running")
        later = llm.script(finish_with_title)
        second = submit(api, later, startUrl=HN, sessionId=first["sessionId"])  # waits for the first turn
        assert api.get(f"/v1/tasks/{second['taskId']}").json()["status"] == "pending"
        cancelled = api.post(f"/v1/tasks/{second['taskId']}/cancel").json()
        assert (cancelled["status"], cancelled["errorCode"]) == ("failed", "cancelled")
    finally:
        gate.set()
    assert wait_terminal(api, first["taskId"])["status"] == "completed"
    record = api.get(f"/v1/tasks/{second['taskId']}").json()
    assert record["status"] == "failed" and not record.get("stepSummaries") and later.prompts == []


def test_cancelling_an_ended_task_changes_nothing_and_says_so(api, llm):
    task = submit(api, llm.script(finish_with_title), startUrl=HN)
    record = wait_terminal(api, task["taskId"])
    response = api.post(f"/v1/tasks/{task['taskId']}/cancel")
    assert response.status_code == 200 and response.json() == record
    assert response.headers["stablebrowse-cancel"] == "task already completed; nothing to cancel"


def test_another_business_cannot_cancel_the_task(api, llm, stack):
    task = submit(api, llm.script(finish_with_title), startUrl=HN)
    other = json.loads(stack.admin("business", "create", "cancel-outsider", "--json"))
    with httpx.Client(base_url=stack.base_url, headers={"Authorization": f"Bearer {other['apiKey']}"}) as client:
        response = client.post(f"/v1/tasks/{task['taskId']}/cancel")
    assert response.status_code == 404 and response.json()["message"] == "task not found"
    assert wait_terminal(api, task["taskId"])["status"] == "completed"
    assert httpx.post(f"{stack.base_url}/v1/tasks/{task['taskId']}/cancel").status_code == 401
