"""GET /v1/tasks/{id}/events through Envoy: Server-Sent Events of a task, live and late."""
import json
import queue
import threading

import httpx

from tests.conftest import wait_terminal
from tests.integration.test_agent import click, submit
from tests.scripted_llm import finish_with_title

HN = "https://news.ycombinator.com/"


def gated(gate: threading.Event, reply):
    """A scripted reply that waits until the test opens the gate (no sleeps)."""
    def answer(prompt):
        assert gate.wait(60), "the test never opened the gate"
        return reply(prompt)
    return answer


class Watcher:
    """Reads one event stream in a thread; each SSE event (or keep-alive comment) lands on a queue."""

    def __init__(self, api: httpx.Client, task_id: str, headers: dict | None = None):
        self.items: queue.Queue = queue.Queue()
        self.response: httpx.Response | None = None
        self.thread = threading.Thread(target=self._read, args=(api, task_id, headers or {}), daemon=True)
        self.thread.start()

    def _read(self, api, task_id, headers):
        with api.stream("GET", f"/v1/tasks/{task_id}/events", headers=headers, timeout=60) as response:
            self.response = response
            event = {}
            for line in response.iter_lines():
                if line.startswith(":"):
                    self.items.put({"comment": line[1:].strip()})
                elif not line:
                    if event:
                        self.items.put(event)
                    event = {}
                else:
                    name, _, value = line.partition(": ")
                    event[name] = json.loads(value) if name == "data" else value
        self.items.put(None)  # the stream ended

    def next(self, timeout: float = 30):
        return self.items.get(timeout=timeout)

    def until_end(self) -> list[dict]:
        events = []
        while (item := self.next()) is not None:
            events.append(item)
        return events


def steps(events):
    return [e for e in events if e.get("event") == "step"]


def test_a_watcher_sees_each_step_as_it_happens_then_the_record(api, llm):
    gate = threading.Event()
    script = llm.script(gated(gate, click("new")), finish_with_title)
    task = submit(api, script, startUrl=HN)
    watcher = Watcher(api, task["taskId"])
    first_step = next(e for e in iter(watcher.next, None) if e.get("event") == "step")
    assert watcher.response.headers["content-type"].startswith("text/event-stream")
    # The agent is held at its first model call: the step came while the task runs.
    assert api.get(f"/v1/tasks/{task['taskId']}").json()["status"] == "running"
    assert first_step["id"] == "1" and first_step["data"]["type"] == "navigation" and "at" in first_step["data"]
    gate.set()
    rest = watcher.until_end()
    assert [e["id"] for e in steps(rest)] == ["2", "3"]
    assert [e["data"]["type"] for e in steps(rest)] == ["execution", "finalize"]
    statuses = [e["data"]["status"] for e in rest if e.get("event") == "status"]
    assert statuses[-1] == "completed"
    done = rest[-1]
    assert done["event"] == "done" and done["data"]["status"] == "completed"
    assert done["data"]["taskId"] == task["taskId"] and len(done["data"]["stepSummaries"]) == 3


def test_a_late_watcher_gets_the_steps_already_taken_and_resumes_after_last_event_id(api, llm):
    script = llm.script(click("new"), finish_with_title)
    task = submit(api, script, startUrl=HN)
    record = wait_terminal(api, task["taskId"])
    events = Watcher(api, task["taskId"]).until_end()
    assert [e["id"] for e in steps(events)] == ["1", "2", "3"]
    assert [e["data"]["msg"] for e in steps(events)] == [s["msg"] for s in record["stepSummaries"]]
    # Caught-up steps carry the time each happened, as live ones do (the record keeps it).
    assert [e["data"]["at"] for e in steps(events)] == [s["at"] for s in record["stepSummaries"]]
    assert sorted(s["at"] for s in record["stepSummaries"]) == [s["at"] for s in record["stepSummaries"]]
    assert [e["event"] for e in events[-2:]] == ["status", "done"] and events[-1]["data"] == record
    resumed = Watcher(api, task["taskId"], {"Last-Event-ID": "2"}).until_end()
    assert [e["id"] for e in steps(resumed)] == ["3"]


def test_an_idle_stream_sends_keep_alive_comments(api, llm):
    gate = threading.Event()
    task = submit(api, llm.script(gated(gate, finish_with_title)), startUrl=HN)
    watcher = Watcher(api, task["taskId"])
    while (item := watcher.next()) is not None and item.get("comment") != "keep-alive":
        pass
    assert item == {"comment": "keep-alive"}  # it came while the model was still held
    gate.set()
    assert watcher.until_end()[-1]["event"] == "done"


def test_another_business_cannot_watch_the_task(api, llm, stack):
    script = llm.script(finish_with_title)
    task = submit(api, script, startUrl=HN)
    other = json.loads(stack.admin("business", "create", "stream-outsider", "--json"))
    with httpx.Client(base_url=stack.base_url, headers={"Authorization": f"Bearer {other['apiKey']}"}) as client:
        response = client.get(f"/v1/tasks/{task['taskId']}/events")
    assert response.status_code == 404 and response.json()["message"] == "task not found"
    unauthenticated = httpx.get(f"{stack.base_url}/v1/tasks/{task['taskId']}/events")
    assert unauthenticated.status_code == 401
