"""Watching and stopping tasks, on the real stack with the scripted LLM (model time taken out):

- step -> SSE: from a step's `at` (when the worker sent it) to the moment a client of
  GET /v1/tasks/{id}/events read it through Envoy, p50/p99 over every step of N tasks
- cancel: POST /v1/tasks/{id}/cancel -> 200 (the task is failed/cancelled from then on), and
  cancel -> the worker stopping it (its "task cancelled by the caller" log line), p50/p99

Usage: python bench/events.py [tasks]
"""
import datetime
import json
import pathlib
import re
import statistics
import sys
import threading
import time

import httpx

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from harness import pct, scripted_stack  # noqa: E402

from tests.scripted_llm import ScriptedLLM, finish  # noqa: E402

HN = "https://news.ycombinator.com/"


def click(name: str):
    return lambda prompt: {"action": "click", "ref": re.search(r'\[(e\d+)\] link "' + re.escape(name) + '"', prompt).group(1)}


def watch(client: httpx.Client, task_id: str) -> list[float]:
    """Milliseconds from each step's `at` to its arrival here."""
    lags = []
    with client.stream("GET", f"/v1/tasks/{task_id}/events", timeout=60) as response:
        for line in response.iter_lines():
            if line.startswith("data: ") and '"at"' in line:
                at = datetime.datetime.fromisoformat(json.loads(line[6:])["at"].replace("Z", "+00:00"))
                lags.append((time.time() - at.timestamp()) * 1000)
            elif line == "event: done":
                break
    return lags


def step_latencies(client: httpx.Client, llm: ScriptedLLM, count: int) -> list[float]:
    lags: list[float] = []
    for _ in range(count):
        script = llm.script(click("new"), click("past"), lambda p: finish("done"))
        task = client.post("/v1/tasks", json={"endUserId": "bench", "task": f"Look around ({script.marker})",
                                              "startUrl": HN}).json()
        lags += watch(client, task["taskId"])
    return lags


def cancel_latencies(client: httpx.Client, llm: ScriptedLLM, count: int, logs: pathlib.Path) -> tuple[list, list]:
    answered, stopped = [], []
    for _ in range(count):
        gate = threading.Event()
        script = llm.script(lambda p, gate=gate: (gate.wait(60), finish("late"))[1])
        task = client.post("/v1/tasks", json={"endUserId": "bench", "task": f"Wait ({script.marker})",
                                              "startUrl": HN}).json()
        while not client.get(f"/v1/tasks/{task['taskId']}").json().get("stepSummaries"):
            time.sleep(0.05)  # running, held at its first model call
        began = time.time()
        client.post(f"/v1/tasks/{task['taskId']}/cancel").raise_for_status()
        answered.append((time.time() - began) * 1000)
        deadline = time.time() + 10
        while time.time() < deadline:
            stop = _stop_logged(logs, task["taskId"])
            if stop is not None:
                stopped.append((stop - began) * 1000)
                break
            time.sleep(0.05)
        gate.set()
    return answered, stopped


def _stop_logged(logs: pathlib.Path, task_id: str) -> float | None:
    for line in (logs / "browser.log").read_text().splitlines():
        if task_id in line and "cancelled by the caller" in line:
            return datetime.datetime.fromisoformat(json.loads(line)["ts"].replace("Z", "+00:00")).timestamp()
    return None


def main(count: int) -> None:
    with scripted_stack("events") as bench:
        step_latencies(bench.client, bench.llm, 2)  # warm-up
        lags = step_latencies(bench.client, bench.llm, count)
        answered, stopped = cancel_latencies(bench.client, bench.llm, max(5, count // 2), bench.state / "logs")
    print(f"events bench: {count} browser tasks (scripted LLM), {len(lags)} steps watched through Envoy")
    print(f"  step -> SSE client: p50 {statistics.median(lags):6.1f} ms   p99 {pct(lags, .99):6.1f} ms")
    print(f"  cancel -> 200:      p50 {statistics.median(answered):6.1f} ms   p99 {pct(answered, .99):6.1f} ms")
    if stopped:
        print(f"  cancel -> worker stopped it: p50 {statistics.median(stopped):6.1f} ms   p99 {pct(stopped, .99):6.1f} ms"
              f"   ({len(stopped)}/{len(answered)} seen in the worker's log)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
