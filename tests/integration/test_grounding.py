"""The grounding check on the real stack: the browser path checks the answer against the text
of the replica pages it visited (scripted model), the indexed path against its indexed page,
and requireGrounded sends an ungrounded answer back once, then fails `ungrounded`."""
import pytest

from tests.conftest import wait_terminal
from tests.scripted_llm import finish

HN = "https://news.ycombinator.com/"
TOP = "Show HN: A tiny B-tree in 300 lines of Rust"  # the replica's top story: 412 points by ferris
SCHEMA = {"type": "object", "properties": {"title": {"type": "string"}, "points": {"type": "integer"}},
          "required": ["title", "points"]}


def run(api, script, task="How many points does the top story have?", **body) -> dict:
    response = api.post("/v1/tasks", json={"endUserId": "alice", "task": f"{task} ({script.marker})", **body})
    assert response.status_code == 201, response.text
    return wait_terminal(api, response.json()["taskId"])


def test_an_answer_read_off_the_page_is_grounded(api, llm):
    script = llm.script(finish(f'The top story is "{TOP}" by ferris with 412 points.'))
    record = run(api, script, startUrl=HN)
    assert record["status"] == "completed"
    assert record["verification"] == {"grounded": True}  # nothing unsupported: the list is omitted


def test_an_invented_number_is_recorded_unsupported_and_the_task_still_completes(api, llm):
    script = llm.script(finish("The top story has 4120 points and 96 comments."))
    record = run(api, script, startUrl=HN)
    assert record["status"] == "completed" and record["result"] == "The top story has 4120 points and 96 comments."
    assert record["verification"] == {"grounded": False, "unsupported": ["4120"]}


def test_a_page_visited_earlier_in_the_task_counts(api, llm):
    newest = lambda prompt: {"action": "navigate", "url": "https://news.ycombinator.com/newest"}  # noqa: E731
    script = llm.script(newest, finish("The front page's top story had 412 points."))
    record = run(api, script, startUrl=HN)
    assert record["visitedUrls"] == [HN, "https://news.ycombinator.com/newest"]
    assert record["verification"] == {"grounded": True}


def test_every_structured_leaf_is_checked(api, llm):
    script = llm.script(finish("", {"title": TOP, "points": 4121}))
    record = run(api, script, startUrl=HN, schema=SCHEMA)
    assert record["status"] == "completed" and record["structured_content"] == {"title": TOP, "points": 4121}
    assert record["verification"] == {"grounded": False, "unsupported": ["4121"]}


def test_require_grounded_sends_the_answer_back_once_and_a_corrected_answer_completes(api, llm):
    script = llm.script(finish("The top story has 4120 points."), finish("The top story has 412 points."))
    record = run(api, script, startUrl=HN, requireGrounded=True)
    assert record["status"] == "completed" and record["result"] == "The top story has 412 points."
    assert record["verification"] == {"grounded": True}
    assert "These facts are not on any page you visited: 4120" in script.prompts[1]
    refused = [s for s in record["stepSummaries"] if s["type"] == "finalize" and not s["success"]]
    assert len(refused) == 1 and record["usage"]["llmCalls"] == 2 + 1  # + the cheap first read, declined
    assert len(script.extractions) == 1


def test_require_grounded_fails_an_answer_still_ungrounded_and_keeps_it(api, llm):
    script = llm.script(finish("", {"title": "Why Rust won", "points": 4120}),
                        finish("", {"title": TOP, "points": 4120}))
    record = run(api, script, startUrl=HN, requireGrounded=True, schema=SCHEMA)
    assert record["status"] == "failed" and record["errorCode"] == "ungrounded"
    assert "4120" in record["error"] and "Why Rust won" not in record["error"]
    assert record["structured_content"] == {"title": TOP, "points": 4120}  # the corrected answer, as given
    assert record["verification"] == {"grounded": False, "unsupported": ["4120"]}
    assert "Why Rust won; 4120" in script.prompts[1]


def test_require_grounded_on_the_last_step_still_gets_its_one_correction(api, llm):
    script = llm.script(finish("It has 4120 points."), finish("It has 412 points."))
    record = run(api, script, startUrl=HN, requireGrounded=True, maxSteps=1)
    assert record["status"] == "completed" and record["verification"] == {"grounded": True}


def test_without_require_grounded_nothing_is_sent_back(api, llm):
    script = llm.script(finish("It has 4120 points."), finish("unused"))
    record = run(api, script, startUrl=HN, requireGrounded=False)
    assert record["status"] == "completed" and len(script.prompts) == 1


def test_an_indexed_answer_carries_its_verification(api):
    response = api.post("/v1/tasks", json={"endUserId": "alice", "task": "What is the top story on Hacker News?"})
    record = wait_terminal(api, response.json()["taskId"])
    assert record["status"] == "completed" and record["result"] == TOP
    assert record["stepSummaries"][0]["msg"] == "Resolved the question to news.ycombinator.com"  # the indexer
    assert record["verification"] == {"grounded": True}


@pytest.mark.parametrize("value", ["yes", "true", 1, [True], {"a": True}])
def test_require_grounded_must_be_a_boolean(api, value):
    response = api.post("/v1/tasks", json={"endUserId": "alice", "task": "t", "requireGrounded": value})
    assert response.status_code == 400, response.text
    assert response.json()["message"].startswith("requireGrounded:"), response.json()
