"""kill -9 of a worker mid-task: the task runs once more elsewhere; a second loss ends it worker_lost."""
import json
import os
import signal
import time

from tests.conftest import wait_terminal
from tests.scripted_llm import Delay, finish

HN = "https://news.ycombinator.com/"


def browser_pid(stack) -> int | None:
    return json.loads((stack.state_dir / "stack.json").read_text())["pids"].get("browser")


def wait_for(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def kill_worker_when_run_reaches_model(stack, script, runs: int) -> None:
    """kill -9 the worker once the task's `runs`-th run is waiting on the model, mid-task."""
    wait_for(lambda: len(script.prompts) >= runs, 90, f"run {runs} to reach the model")
    old = browser_pid(stack)
    os.kill(old, signal.SIGKILL)
    # The supervisor restarts the worker (as Kubernetes would).
    wait_for(lambda: browser_pid(stack) not in (None, old), 60, "a new browser worker")


def submit(api, script) -> str:
    body = {"endUserId": "a", "task": f"title? ({script.marker})", "startUrl": HN}
    return api.post("/v1/tasks", json=body).json()["taskId"]


def test_a_lost_task_runs_once_more_then_fails_worker_lost(stack, api, llm):
    # First run: the model stalls and the worker is killed. Second run: it answers.
    rerun = llm.script(Delay(60, finish("never")), finish("Hacker News"))
    task_id = submit(api, rerun)
    kill_worker_when_run_reaches_model(stack, rerun, runs=1)
    record = wait_terminal(api, task_id, timeout=120)
    assert record["status"] == "completed" and record["result"] == "Hacker News", record
    assert [s["type"] for s in record["stepSummaries"]] == ["navigation", "finalize"]  # the lost run's steps are gone

    # Both runs stall and both workers are killed: the second loss ends the task.
    lost = llm.script(Delay(60, finish("never")))
    task_id = submit(api, lost)
    kill_worker_when_run_reaches_model(stack, lost, runs=1)
    kill_worker_when_run_reaches_model(stack, lost, runs=2)
    record = wait_terminal(api, task_id, timeout=120)
    assert record["status"] == "failed" and record["errorCode"] == "worker_lost", record
