"""The Python SDK against the real stack through Envoy (the scripted LLM plays the model)."""
import socket
import time

import pytest

import stablebrowse
from stablebrowse import AsyncClient, Client
from tests.scripted_llm import Delay, finish, finish_with_title
from tests.sdk.conftest import HN, TOP_STORY, click, marked


def test_run_answers_the_top_story_question(client, llm):
    # Answered by the indexer's fast path where it has one, else by the browser with this script.
    script = llm.script(finish(TOP_STORY))
    task = client.tasks.run(marked("What is the title of the top story on Hacker News?", script),
                            end_user_id="alice", start_url=HN, timeout=60)
    assert task.status == "completed", task.raw
    assert TOP_STORY in task.result
    assert task.task_id and task.session_id and task.created_at and task.updated_at


def test_run_on_a_browser_task_hands_over_each_step_once_in_order(client, llm):
    script = llm.script(Delay(1.5, click("new")), Delay(1.5, finish_with_title))
    steps = []
    task = client.tasks.run(marked("What is the title of the newest page?", script), end_user_id="alice",
                            start_url=HN, timeout=60, on_step=steps.append)
    assert task.completed and task.result == "New Links | Hacker News"
    assert [(s.n, s.type) for s in steps] == [(1, "navigation"), (2, "execution"), (3, "finalize")]
    assert steps == task.step_summaries and steps[1].msg == 'Clicked "new"'
    assert task.visited_urls == [HN, "https://news.ycombinator.com/newest"]
    assert task.usage.llm_calls == 2 and task.total_steps == 3 and task.duration_ms > 0


def test_require_grounded_is_sent_and_the_verification_read(client, llm):
    script = llm.script(finish("It has 4120 points."), finish("It has 4120 points, surely."))
    task = client.tasks.run(marked("How many points does the top story have?", script), end_user_id="alice",
                            start_url=HN, timeout=60, require_grounded=True)
    assert task.failed and task.error_code == "ungrounded" and task.result == "It has 4120 points, surely."
    assert task.verification.grounded is False and task.verification.unsupported == ["4120"]


def test_a_failed_task_is_returned_unless_raise_on_failure(client):
    task = client.tasks.run("Read it", end_user_id="alice", start_url="http://no-such-host.invalid/", timeout=60)
    assert task.failed and task.error_code == "navigation_error" and "no-such-host.invalid" in task.error
    with pytest.raises(stablebrowse.TaskFailedError) as raised:
        client.tasks.run("Read it", end_user_id="alice", start_url="http://no-such-host.invalid/",
                         timeout=60, raise_on_failure=True)
    assert raised.value.task.error_code == "navigation_error"


def test_run_gives_up_after_its_timeout(client, llm):
    script = llm.script(Delay(5, finish("late")))
    started = time.monotonic()
    with pytest.raises(stablebrowse.TaskTimeoutError) as raised:
        client.tasks.run(marked("Slow", script), end_user_id="alice", start_url=HN, timeout=1)
    assert raised.value.task.status in ("pending", "running") and time.monotonic() - started < 5


def test_submit_get_and_list_pages(client):
    first = client.tasks.submit("Title?", end_user_id="alice", start_url=HN)
    assert first.status == "pending" and first.session_id and first.created_at
    ids = [first.task_id] + [client.tasks.submit("Title?", end_user_id="alice", start_url=HN,
                                                 session_id=first.session_id).task_id for _ in range(2)]
    assert client.tasks.get(ids[0]).task == "Title?"
    page = client.tasks.list(session_id=first.session_id, page_size=2)
    assert len(page) == 2 and page.next_page_token
    rest = client.tasks.list(session_id=first.session_id, page_size=2, page_token=page.next_page_token)
    assert [t.task_id for t in [*page, *rest]] == ids[::-1] and rest.next_page_token is None
    assert {t.end_user_id for t in client.tasks.list(end_user_id="alice")} == {"alice"}


def test_each_error_class(stack, business, client):
    with pytest.raises(stablebrowse.BadRequestError) as bad:
        client.tasks.submit("   ", end_user_id="alice")
    assert bad.value.status_code == 400 and bad.value.body["message"].startswith("task:")
    with pytest.raises(stablebrowse.NotFoundError):
        client.tasks.get("0" * 32)
    with pytest.raises(stablebrowse.APIStatusError) as too_big:  # Envoy's 1 MiB body limit
        client.tasks.submit("x" * (1 << 20), end_user_id="alice")
    assert type(too_big.value) is stablebrowse.APIStatusError and too_big.value.status_code == 413
    session = client.tasks.submit("Title?", end_user_id="alice", start_url=HN).session_id
    with pytest.raises(stablebrowse.PermissionDeniedError):
        client.tasks.submit("Title?", end_user_id="mallory", session_id=session)
    with Client(api_key="sb_not-a-real-key", base_url=stack.base_url) as stranger:
        with pytest.raises(stablebrowse.AuthenticationError) as unauthenticated:
            stranger.tasks.list()
    assert unauthenticated.value.status_code == 401
    stack.admin("key", "revoke", business["keyId"])
    # The gateway remembers a found key for at most 1 s (STABLEBROWSE_API_KEY_CACHE_SECONDS).
    deadline = time.monotonic() + 3
    while True:
        try:
            client.tasks.get("0" * 32)
        except stablebrowse.PermissionDeniedError as revoked:
            assert "revoked" in revoked.message
            break
        except stablebrowse.NotFoundError:
            assert time.monotonic() < deadline, "a revoked key still worked after the cache bound"


def free_port() -> int:
    """A port nothing listens on: bound, noted, closed."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_connection_errors_are_retried_then_raised():
    retries = []
    with Client(api_key="sb_x", base_url=f"http://127.0.0.1:{free_port()}", on_retry=retries.append) as client:
        with pytest.raises(stablebrowse.APIConnectionError):
            client.tasks.get("abc")
    assert [r.attempt for r in retries] == [1, 2] and all(r.error is not None for r in retries)


def test_rate_limit_error_carries_retry_after(stack, business, client):
    stack.admin("quota", "set", business["businessId"], "--requests-per-minute", "1")
    retries = []
    with Client(api_key=business["apiKey"], base_url=stack.base_url, max_retries=0, on_retry=retries.append) as once:
        with pytest.raises(stablebrowse.RateLimitError) as limited:
            for _ in range(3):  # one a minute: the second is refused (the third, if a new minute began between)
                once.tasks.submit("Title?", end_user_id="alice", start_url=HN)
    assert limited.value.status_code == 429 and 1 <= limited.value.retry_after <= 60
    assert "requests_per_minute=1" in str(limited.value.body["details"]) and retries == []


def hold_the_only_slot(stack, business, client, llm, seconds):
    stack.admin("quota", "set", business["businessId"], "--max-concurrent", "1")
    script = llm.script(Delay(seconds, finish("done")))
    return client.tasks.submit(marked("Hold", script), end_user_id="alice", start_url=HN)


def test_429_is_retried_after_retry_after(stack, business, client, llm):
    holder = hold_the_only_slot(stack, business, client, llm, seconds=2)
    retries = []
    with Client(api_key=business["apiKey"], base_url=stack.base_url, max_retries=5, on_retry=retries.append) as patient:
        started = time.monotonic()
        second = patient.tasks.submit("Title?", end_user_id="alice", start_url=HN)
        elapsed = time.monotonic() - started
    assert second.status == "pending" and client.tasks.get(holder.task_id).done
    assert retries and all(r.status_code == 429 and r.wait == 5.0 for r in retries)  # the scheduler's Retry-After
    assert elapsed >= 5.0 * len(retries)


def test_retries_are_bounded_then_rate_limit_error(stack, business, client, llm):
    hold_the_only_slot(stack, business, client, llm, seconds=10)
    retries = []
    with Client(api_key=business["apiKey"], base_url=stack.base_url, max_retries=1, on_retry=retries.append) as brief:
        started = time.monotonic()
        with pytest.raises(stablebrowse.RateLimitError) as limited:
            brief.tasks.submit("Title?", end_user_id="alice", start_url=HN)
    assert limited.value.retry_after == 5.0 and [r.attempt for r in retries] == [1]
    assert time.monotonic() - started >= 5.0


def test_fields_unknown_to_the_sdk_are_tolerated(monkeypatch, client, api, llm):
    """An older SDK meeting a newer server: drop fields from the SDK's model, read a real record."""
    from stablebrowse import _models

    script = llm.script(finish(TOP_STORY))
    done = client.tasks.run(marked("Title?", script), end_user_id="alice", start_url=HN, timeout=60)
    dropped = {"usage": "usage", "visited_urls": "visitedUrls", "duration_ms": "durationMs"}
    narrow = {k: v for k, v in _models._TASK_FIELDS.items() if k not in dropped}
    monkeypatch.setattr(_models, "_TASK_FIELDS", narrow)
    monkeypatch.setattr(_models, "_STEP_FIELDS", {"n": ("n", _models._same)})
    task = client.tasks.get(done.task_id)
    wire = api.get(f"/v1/tasks/{done.task_id}").json()
    assert task.completed and task.result == TOP_STORY and task.raw == wire
    assert set(dropped.values()) & wire.keys()  # the server sent fields this "SDK" does not know
    assert (task.usage, task.visited_urls, task.duration_ms) == (None, [], None)
    assert [(s.n, s.type, s.raw) for s in task.step_summaries] == [(r["n"], "", r) for r in wire.get("stepSummaries", [])]


async def test_async_client_runs_a_task(stack, business, llm):
    script = llm.script(finish_with_title)
    seen = []

    async def on_step(step):
        seen.append(step.type)

    async with AsyncClient(api_key=business["apiKey"], base_url=stack.base_url) as client:
        task = await client.tasks.run(marked("Title?", script), end_user_id="bob", start_url=HN, timeout=60,
                                      on_step=on_step)
        assert (await client.tasks.get(task.task_id)).task_id == task.task_id
        page = await client.tasks.list(session_id=task.session_id)
        with pytest.raises(stablebrowse.NotFoundError):
            await client.tasks.get("0" * 32)
    assert task.completed and task.result == "Hacker News" and seen == ["navigation", "finalize"]
    assert [t.task_id for t in page] == [task.task_id]


def test_client_reads_the_environment(monkeypatch, stack, business):
    monkeypatch.setenv("STABLEBROWSE_API_KEY", business["apiKey"])
    monkeypatch.setenv("STABLEBROWSE_BASE_URL", stack.base_url)
    with Client() as client:
        assert client.tasks.list().tasks == []
