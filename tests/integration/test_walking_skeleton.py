"""End to end through the real parts: Envoy -> gateway -> scheduler -> Kafka -> Chromium worker
with the agent, driven by the scripted LLM."""
import datetime
import re

from tests.conftest import wait_terminal
from tests.scripted_llm import finish, finish_with_title

HN = "https://news.ycombinator.com/"


def submit(api, script, **body):
    return api.post("/v1/tasks", json={"endUserId": "alice", "task": f"What is the title of this page? ({script.marker})", **body})


def test_created_task_answers_201_with_exactly_the_contract_fields(api, llm):
    response = submit(api, llm.script(finish("Hacker News")), startUrl=HN)
    assert response.status_code == 201, response.text
    body = response.json()
    assert set(body) == {"taskId", "sessionId", "status", "createdAt"}
    assert body["status"] == "pending"
    assert re.fullmatch(r"[0-9a-f]{32}", body["taskId"])
    assert re.fullmatch(r"[0-9a-f]{32}", body["sessionId"])
    created = datetime.datetime.fromisoformat(body["createdAt"].replace("Z", "+00:00"))
    assert created.tzinfo is not None
    assert abs((datetime.datetime.now(datetime.UTC) - created).total_seconds()) < 60


def test_task_completes_in_real_chromium_with_the_models_answer(api, llm):
    script = llm.script(finish_with_title)
    task_id = submit(api, script, startUrl=HN).json()["taskId"]
    record = wait_terminal(api, task_id)
    assert record["status"] == "completed", record
    assert record["result"] == "Hacker News"
    assert record["visitedUrls"] == [HN]
    assert [s["type"] for s in record["stepSummaries"]] == ["navigation", "finalize"]
    assert [s["n"] for s in record["stepSummaries"]] == [1, 2]
    assert all(s["success"] for s in record["stepSummaries"])
    assert record["totalSteps"] == 2
    assert record["durationMs"] >= 0
    assert record["endUserId"] == "alice"
    assert record["usage"]["llmCalls"] == 1
    assert record["updatedAt"] >= record["createdAt"]
    # The model saw the page itself: a compact view with refs.
    assert '] link "Hacker News"' in script.prompts[0]


def test_html_dump_is_the_last_page_when_asked(api, llm):
    task_id = submit(api, llm.script(finish("Hacker News")), startUrl=HN, include_html_dump=True).json()["taskId"]
    record = wait_terminal(api, task_id)
    assert record["status"] == "completed"
    assert '<span class="titleline">' in record["html_dump"]
    plain = wait_terminal(api, submit(api, llm.script(finish("Hacker News")), startUrl=HN).json()["taskId"])
    assert "html_dump" not in plain


def test_unreachable_start_url_fails_with_navigation_error(api, llm):
    task_id = submit(api, llm.script(finish("x")), startUrl="http://does-not-exist.invalid/").json()["taskId"]
    record = wait_terminal(api, task_id)
    assert record["status"] == "failed"
    assert record["errorCode"] == "navigation_error"
    assert "does-not-exist.invalid" in record["error"]
    assert record["stepSummaries"][-1]["success"] is False


def test_session_turns_share_the_session_and_carry_previous_context(api, llm):
    script = llm.script(finish("Hacker News"))
    first = submit(api, script, startUrl=HN).json()
    wait_terminal(api, first["taskId"])
    second = submit(api, script, startUrl=HN, sessionId=first["sessionId"]).json()
    assert second["sessionId"] == first["sessionId"]
    record = wait_terminal(api, second["taskId"])
    assert "Result: Hacker News" in record["previousContext"]
    assert "previousError" not in record
    assert "Result: Hacker News" in script.prompts[-1]
