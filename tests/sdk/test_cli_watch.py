"""The CLI's `run` following the event stream (or polling without it), `cancel` and `share`,
as installed console scripts against the real stack."""
import subprocess
import threading

import pytest

from tests.integration.test_cancel import running_with_steps, wait_for
from tests.integration.test_event_stream import gated
from tests.scripted_llm import finish_with_title
from tests.sdk.conftest import HN, click, marked
from tests.sdk.stream_front import StreamFront
from tests.sdk.test_cli import CLI, cli

STEP_LINES = [["1.", "navigation"], ["2.", "execution"], ["3.", "finalize"]]


@pytest.fixture
def front_env(env, stack, request):
    """The CLI's environment pointed at a StreamFront (its options from the test's parametrisation)."""
    front = StreamFront(stack.base_url, **getattr(request, "param", {}))
    yield front, {**env, "STABLEBROWSE_BASE_URL": front.base_url}
    front.close()


def test_run_prints_the_steps_from_the_event_stream_without_polling(front_env, llm):
    front, env = front_env
    script = llm.script(click("new"), finish_with_title)
    out = cli(env, "run", marked("Newest page title?", script), "--start-url", HN)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    task_id = lines[0].split()[1]
    assert [line.split()[:2] for line in lines[1:4]] == STEP_LINES and lines[4:] == ["New Links | Hacker News"]
    assert len(front.requests("GET", f"/v1/tasks/{task_id}/events")) == 1
    assert front.requests("GET", f"/v1/tasks/{task_id}") == []  # no poll
    assert "polling" not in out.stderr


@pytest.mark.parametrize("front_env", [{"events_status": 404}], indirect=True)
def test_run_falls_back_to_polling_when_the_stream_is_unavailable(front_env, llm):
    front, env = front_env
    script = llm.script(click("new"), finish_with_title)
    out = cli(env, "run", marked("Newest page title?", script), "--start-url", HN)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    task_id = lines[0].split()[1]
    assert [line.split()[:2] for line in lines[1:4]] == STEP_LINES and lines[4:] == ["New Links | Hacker News"]
    assert "event stream unavailable" in out.stderr and "polling" in out.stderr
    assert front.requests("GET", f"/v1/tasks/{task_id}")  # it polled


def test_cancel_stops_a_running_task_run_by_the_cli(env, api, llm):
    gate = threading.Event()
    try:
        script = llm.script(gated(gate, finish_with_title))
        run = subprocess.Popen([CLI, "run", marked("Title?", script), "--start-url", HN], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        task_id = run.stdout.readline().split()[1]
        wait_for(lambda: running_with_steps(api, task_id), what="the task running")
        out = cli(env, "cancel", task_id)
        assert out.returncode == 0 and out.stdout.split() == [task_id, "cancelled"], out.stderr
        _, errors = run.communicate(timeout=60)
    finally:
        gate.set()
    assert run.returncode == 1 and "cancelled" in errors  # the run saw the task end failed (cancelled)
    again = cli(env, "cancel", task_id)
    assert again.returncode == 0 and again.stdout.strip() == f"{task_id}  already failed; nothing to cancel"
    assert cli(env, "cancel", "0" * 32).returncode == 2


def test_share_prints_the_link_alone_on_stdout(env, llm):
    script = llm.script(finish_with_title)
    done = cli(env, "run", marked("Title?", script), "--start-url", HN)
    task_id = done.stdout.split()[1]
    out = cli(env, "share", task_id, "--expires-in", "600")
    assert out.returncode == 0, out.stderr
    assert out.stdout.count("\n") == 1 and out.stdout.startswith(("http://", "https://"))
    assert out.stderr.startswith("expires ")
