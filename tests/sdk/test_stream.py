"""tasks.stream, tasks.cancel and tasks.share of the Python SDK against the real stack (Envoy,
gateway, Kafka, browser worker); only the LLM is scripted."""
import json
import threading
from datetime import UTC, datetime, timedelta

import pytest

import stablebrowse
from stablebrowse import AsyncClient, Client, DoneEvent, StatusEvent, StepEvent
from tests.integration.test_event_stream import gated
from tests.scripted_llm import finish_with_title
from tests.sdk.conftest import HN, click, marked
from tests.sdk.stream_front import StreamFront

TASK_NOT_FOUND = "task not found"


def steps(events) -> list[tuple[int, str]]:
    return [(e.step.n, e.step.type) for e in events if isinstance(e, StepEvent)]


def statuses(events) -> list[str]:
    return [e.status for e in events if isinstance(e, StatusEvent)]


def finished_task(client: Client, llm) -> stablebrowse.Task:
    script = llm.script(click("new"), finish_with_title)
    task = client.tasks.run(marked("Newest page title?", script), end_user_id="alice", start_url=HN, timeout=60)
    assert task.completed, task.raw
    return task


def test_stream_yields_each_step_as_it_happens_then_done_with_the_final_record(client, llm):
    gate = threading.Event()
    try:
        script = llm.script(gated(gate, click("new")), finish_with_title)
        task = client.tasks.submit(marked("Newest page title?", script), end_user_id="alice", start_url=HN)
        events = client.tasks.stream(task.task_id, timeout=60)
        first = [next(events)]
        while not isinstance(first[-1], StepEvent):
            first.append(next(events))
        # The agent is held at its first model call: the step came while the task runs.
        assert client.tasks.get(task.task_id).status == "running"
        assert first[-1].step.n == 1 and first[-1].step.type == "navigation" and first[-1].id == "1"
        assert first[-1].at is not None
    finally:
        gate.set()
    rest = list(events)
    everything = first + rest
    assert steps(everything) == [(1, "navigation"), (2, "execution"), (3, "finalize")]
    assert statuses(everything)[-1] == "completed" and len(set(statuses(everything))) == len(statuses(everything))
    assert isinstance(rest[-1], DoneEvent) and sum(isinstance(e, DoneEvent) for e in everything) == 1
    done = rest[-1].task
    assert done.completed and done.result == "New Links | Hacker News"
    assert done == client.tasks.get(task.task_id) and len(done.step_summaries) == 3


def test_a_late_stream_replays_the_steps_already_taken(client, llm):
    task = finished_task(client, llm)
    events = list(client.tasks.stream(task.task_id))
    assert steps(events) == [(1, "navigation"), (2, "execution"), (3, "finalize")]
    assert [e.step.msg for e in events if isinstance(e, StepEvent)] == [s.msg for s in task.step_summaries]
    assert events[-1] == DoneEvent(task) and statuses(events) == ["completed"]


def test_last_event_id_starts_after_that_step(client, llm):
    task = finished_task(client, llm)
    assert steps(client.tasks.stream(task.task_id, last_event_id=2)) == [(3, "finalize")]


def test_a_dropped_stream_reconnects_with_last_event_id_and_misses_nothing(stack, business, client, llm):
    task = finished_task(client, llm)
    front = StreamFront(stack.base_url, cut_after_steps=2)
    try:
        with Client(api_key=business["apiKey"], base_url=front.base_url) as through_front:
            events = list(through_front.tasks.stream(task.task_id))
    finally:
        front.close()
    assert [last_id for _, _, last_id in front.requests("GET", "/events")] == [None, "2"]
    assert steps(events) == [(1, "navigation"), (2, "execution"), (3, "finalize")]
    assert events[-1] == DoneEvent(task)


def test_a_stream_that_keeps_failing_gives_up_after_max_reconnects(stack, business):
    front = StreamFront(stack.base_url, events_status=503)
    try:
        with Client(api_key=business["apiKey"], base_url=front.base_url) as through_front:
            with pytest.raises(stablebrowse.APIConnectionError) as raised:
                list(through_front.tasks.stream("0" * 32, max_reconnects=2))
    finally:
        front.close()
    assert len(front.requests("GET", "/events")) == 3 and "HTTP 503" in str(raised.value)


def test_another_business_cannot_stream_cancel_or_share_the_task(stack, client, llm):
    task = finished_task(client, llm)
    other = json.loads(stack.admin("business", "create", "stream-outsider", "--json"))
    with Client(api_key=other["apiKey"], base_url=stack.base_url) as outsider:
        for attempt in (lambda: list(outsider.tasks.stream(task.task_id)), lambda: outsider.tasks.cancel(task.task_id)):
            with pytest.raises(stablebrowse.NotFoundError) as raised:
                attempt()
            assert raised.value.body["message"] == TASK_NOT_FOUND
    assert client.tasks.get(task.task_id).completed


def test_cancel_stops_a_running_task_and_its_stream_ends_with_the_cancelled_record(client, llm):
    gate = threading.Event()
    try:
        script = llm.script(gated(gate, finish_with_title))
        task = client.tasks.submit(marked("Title?", script), end_user_id="alice", start_url=HN)
        events = client.tasks.stream(task.task_id, timeout=60)
        while not isinstance(next(events), StepEvent):
            pass
        cancelled = client.tasks.cancel(task.task_id)
        assert (cancelled.status, cancelled.error_code) == ("failed", "cancelled")
        done = [e for e in events if isinstance(e, DoneEvent)]
        assert [d.task.error_code for d in done] == ["cancelled"]
        again = client.tasks.cancel(task.task_id)  # ended: nothing changes
        assert (again.status, again.error_code) == ("failed", "cancelled")
    finally:
        gate.set()


def test_stream_gives_up_after_its_timeout_and_the_task_keeps_running(client, llm):
    gate = threading.Event()
    try:
        script = llm.script(gated(gate, finish_with_title))  # held until the test ends
        task = client.tasks.submit(marked("Title?", script), end_user_id="alice", start_url=HN)
        seen = []
        with pytest.raises(stablebrowse.TaskTimeoutError) as raised:
            for event in client.tasks.stream(task.task_id, timeout=3):
                seen.append(event)
        assert raised.value.task.task_id == task.task_id and raised.value.task.status in ("pending", "running")
        assert not any(isinstance(e, DoneEvent) for e in seen)
    finally:
        gate.set()


def test_cancelling_a_completed_task_returns_it_unchanged(client, llm):
    task = finished_task(client, llm)
    assert client.tasks.cancel(task.task_id) == task


async def test_async_client_streams_and_cancels(stack, business, llm):
    gate = threading.Event()
    try:
        async with AsyncClient(api_key=business["apiKey"], base_url=stack.base_url) as client:
            script = llm.script(gated(gate, finish_with_title))
            task = await client.tasks.submit(marked("Title?", script), end_user_id="alice", start_url=HN)
            seen = []
            async for event in client.tasks.stream(task.task_id, timeout=60):
                seen.append(event)
                if isinstance(event, StepEvent):
                    assert (await client.tasks.cancel(task.task_id)).error_code == "cancelled"
    finally:
        gate.set()
    assert steps(seen) == [(1, "navigation")]
    assert isinstance(seen[-1], DoneEvent) and seen[-1].task.error_code == "cancelled"


def test_share_returns_a_link_that_expires_when_asked(client, llm):
    task = finished_task(client, llm)
    before = datetime.now(UTC)
    shared = client.tasks.share(task.task_id, expires_in_seconds=3600)
    assert shared.url.startswith(("http://", "https://"))
    assert before + timedelta(minutes=59) < shared.expires_at < datetime.now(UTC) + timedelta(minutes=61)
    default = client.tasks.share(task.task_id)
    assert timedelta(hours=23) < default.expires_at - before < timedelta(hours=25)
