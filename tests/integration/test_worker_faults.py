"""Faults under a real browser worker: a page whose main thread never yields, Chromium
killed mid-task, SIGTERM mid-task. The stack's TASK_TIMEOUT_MS is 20 s (conftest)."""
import os
import pathlib
import signal
import time

import pymongo

from services.common import mongo
from services.common.settings import MongoSettings
from tests.conftest import wait_terminal
from tests.integration.test_worker_loss import browser_pid, wait_for
from tests.scripted_llm import Delay, finish

HN = "https://news.ycombinator.com/"
BUSY_PAGE = (b"<html><head><title>Busy</title></head><body><p>Loading</p>"
             b"<script>addEventListener('load', () => setTimeout(() => { for (;;) {} }, 0))</script></body></html>")


def descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for stat in pathlib.Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def cmdline(pid: int) -> str:
    try:
        return pathlib.Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def cpu_seconds(pid: int) -> float:
    try:
        fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def running(pid: int) -> bool:
    """Alive and not a zombie."""
    try:
        return pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def renderers(stack) -> list[int]:
    return [p for p in descendants(browser_pid(stack)) if "--type=renderer" in cmdline(p)]


def chromium_browser_process(stack) -> int | None:
    candidates = [p for p in descendants(browser_pid(stack))
                  if "chrom" in cmdline(p).split(" ")[0] and "--type=" not in cmdline(p)]
    return candidates[0] if candidates else None


def task_doc(stack, task_id: str) -> dict:
    with pymongo.MongoClient(stack.mongodb_uri) as client:
        return client[MongoSettings().mongodb_database][mongo.TASKS].find_one({"_id": task_id})


def busy_renderers(stack) -> list[int]:
    """Renderers of the worker that have burnt more than 0.5 s of CPU (an idle one: far less)."""
    return [p for p in renderers(stack) if cpu_seconds(p) > 0.5]


def test_a_page_that_busy_loops_ends_timeout_and_its_renderer_is_killed(stack, api, llm, local_site):
    script = llm.script(Delay(30, finish("never")))  # should the agent see the page at all, it waits
    site = local_site(lambda path: (BUSY_PAGE, []))
    submitted = time.monotonic()
    task_id = api.post("/v1/tasks", json={"endUserId": "a", "task": f"read it ({script.marker})",
                                          "startUrl": site, "includeHtmlDump": True}).json()["taskId"]
    wait_for(lambda: busy_renderers(stack), 60, "a renderer burning CPU")
    busy = busy_renderers(stack)
    record = wait_terminal(api, task_id, timeout=90)
    assert record["status"] == "failed" and record["errorCode"] == "timeout", record
    assert time.monotonic() - submitted < 60  # TASK_TIMEOUT_MS (20 s) bounds it, dump included
    wait_for(lambda: not any(running(p) for p in busy), 30, "the busy renderer to be gone")


def test_chromium_killed_mid_task_is_relaunched_and_the_task_runs_again(stack, api, llm):
    script = llm.script(Delay(60, finish("never")), finish("Hacker News"))
    task_id = api.post("/v1/tasks", json={"endUserId": "a", "task": f"title? ({script.marker})",
                                          "startUrl": HN}).json()["taskId"]
    wait_for(lambda: len(script.prompts) >= 1, 90, "the run to reach the model")
    worker = browser_pid(stack)
    os.kill(chromium_browser_process(stack), signal.SIGKILL)
    record = wait_terminal(api, task_id, timeout=90)
    assert record["status"] == "completed" and record["result"] == "Hacker News", record
    assert browser_pid(stack) == worker  # the same worker, with a new Chromium

    later = llm.script(finish("Hacker News"))
    task_id = api.post("/v1/tasks", json={"endUserId": "a", "task": f"title? ({later.marker})",
                                          "startUrl": HN}).json()["taskId"]
    assert wait_terminal(api, task_id, timeout=60)["status"] == "completed"


def test_sigterm_mid_task_hands_it_back_without_losing_an_attempt(stack, api, llm):
    # Two rolling restarts during one task: each run is stopped while it waits on the model.
    script = llm.script(Delay(60, finish("never")), Delay(60, finish("never")), finish("Hacker News"))
    task_id = api.post("/v1/tasks", json={"endUserId": "a", "task": f"title? ({script.marker})",
                                          "startUrl": HN}).json()["taskId"]
    for run in (1, 2):
        wait_for(lambda: len(script.prompts) >= run, 90, f"run {run} to reach the model")  # noqa: B023 (wait_for calls it now)
        old = browser_pid(stack)
        os.kill(old, signal.SIGTERM)
        # Handed back at once after the grace period: pending, its attempt not counted.
        wait_for(lambda: (task_doc(stack, task_id) or {}).get("attempts") == 0, 30, "the task handed back")
        wait_for(lambda: browser_pid(stack) not in (None, old), 60, "a new browser worker")  # noqa: B023 (wait_for calls it now)
    record = wait_terminal(api, task_id, timeout=90)
    assert record["status"] == "completed" and record["result"] == "Hacker News", record
    assert task_doc(stack, task_id)["attempts"] == 1
