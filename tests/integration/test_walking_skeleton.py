"""End to end through the real parts: Envoy -> gateway -> scheduler -> Kafka -> Chromium worker."""
import datetime
import re

from tests.conftest import wait_terminal

HN = "https://news.ycombinator.com/"


def submit(api, **body):
    return api.post("/v1/tasks", json={"endUserId": "alice", "task": "What is the title of this page?", **body})


def test_created_task_answers_201_with_exactly_the_contract_fields(api):
    response = submit(api, startUrl=HN)
    assert response.status_code == 201, response.text
    body = response.json()
    assert set(body) == {"taskId", "sessionId", "status", "createdAt"}
    assert body["status"] == "pending"
    assert re.fullmatch(r"[0-9a-f]{32}", body["taskId"])
    assert re.fullmatch(r"[0-9a-f]{32}", body["sessionId"])
    created = datetime.datetime.fromisoformat(body["createdAt"].replace("Z", "+00:00"))
    assert created.tzinfo is not None
    assert abs((datetime.datetime.now(datetime.timezone.utc) - created).total_seconds()) < 60


def test_task_completes_with_the_page_title_from_real_chromium(api):
    task_id = submit(api, startUrl=HN).json()["taskId"]
    record = wait_terminal(api, task_id)
    assert record["status"] == "completed", record
    assert record["result"] == "Hacker News"
    assert record["visitedUrls"] == [HN]
    assert [s["type"] for s in record["stepSummaries"]] == ["navigation", "extraction"]
    assert [s["n"] for s in record["stepSummaries"]] == [1, 2]
    assert all(s["success"] for s in record["stepSummaries"])
    assert record["totalSteps"] == 2
    assert record["durationMs"] >= 0
    assert record["endUserId"] == "alice"
    assert record["task"] == "What is the title of this page?"
    assert record["updatedAt"] >= record["createdAt"]


def test_html_dump_is_the_last_page_when_asked(api):
    task_id = submit(api, startUrl=HN, include_html_dump=True).json()["taskId"]
    record = wait_terminal(api, task_id)
    assert record["status"] == "completed"
    assert '<span class="titleline">' in record["html_dump"]
    plain = wait_terminal(api, submit(api, startUrl=HN).json()["taskId"])
    assert "html_dump" not in plain


def test_unreachable_start_url_fails_with_navigation_error(api):
    task_id = submit(api, startUrl="http://does-not-exist.invalid/").json()["taskId"]
    record = wait_terminal(api, task_id)
    assert record["status"] == "failed"
    assert record["errorCode"] == "navigation_error"
    assert "does-not-exist.invalid" in record["error"]
    assert record["stepSummaries"][-1]["success"] is False


def test_session_turns_share_the_session_and_carry_previous_context(api):
    first = submit(api, startUrl=HN).json()
    wait_terminal(api, first["taskId"])
    second = submit(api, startUrl=HN, sessionId=first["sessionId"]).json()
    assert second["sessionId"] == first["sessionId"]
    record = wait_terminal(api, second["taskId"])
    assert "Result: Hacker News" in record["previousContext"]
    assert "previousError" not in record
