"""The agent in real Chromium, driven by the scripted LLM: steps, limits, schemas, safety."""
import http.server
import re
import threading
import time

import pytest

from tests.conftest import wait_terminal
from tests.scripted_llm import Hold, finish, finish_with_title

HN = "https://news.ycombinator.com/"


def submit(api, script, task="What is the title of the top story?", **body):
    response = api.post("/v1/tasks", json={"endUserId": "alice", "task": f"{task} ({script.marker})", **body})
    assert response.status_code == 201, response.text
    return response.json()


def ref_of(prompt: str, name: str) -> str:
    return re.search(r'\[(e\d+)\] link "' + re.escape(name) + '"', prompt).group(1)


def click(name: str):
    return lambda prompt: {"action": "click", "ref": ref_of(prompt, name)}


title_answer = finish_with_title


def record_when(api, task_id: str, condition, timeout: float = 30) -> dict:
    """The task's record once condition(record) holds (polled, with a deadline)."""
    deadline = time.monotonic() + timeout
    while not condition(record := api.get(f"/v1/tasks/{task_id}").json()):
        assert time.monotonic() < deadline, f"condition not reached within {timeout}s: {record}"
        time.sleep(0.1)
    return record


def test_steps_accumulate_while_the_task_runs(api, llm):
    # Each step is held at the model until the test has seen the record while it runs.
    first, second = Hold(click("new")), Hold(title_answer)
    task_id = submit(api, llm.script(first, second), startUrl=HN)["taskId"]
    try:
        for held, steps_taken in ((first, 1), (second, 2)):
            held.wait_reached()
            running = record_when(api, task_id, lambda r, n=steps_taken: len(r.get("stepSummaries", [])) == n)
            assert running["status"] == "running", running
            held.release()
        record = wait_terminal(api, task_id)
    finally:
        first.release()
        second.release()
    assert record["status"] == "completed"
    assert [s["type"] for s in record["stepSummaries"]] == ["navigation", "execution", "finalize"]
    assert record["stepSummaries"][1]["msg"] == 'Clicked "new"'
    assert record["visitedUrls"] == [HN, "https://news.ycombinator.com/newest"]


def test_max_steps_forces_a_final_answer_on_the_last_step(api, llm):
    script = llm.script({"action": "scroll", "text": "down"},
                        lambda p: finish("forced") if "This is the last step" in p else {"action": "scroll"})
    record = wait_terminal(api, submit(api, script, startUrl=HN, maxSteps=2)["taskId"])
    assert record["status"] == "completed" and record["result"] == "forced"
    assert "Step 1 of 2." in script.prompts[0] and "last step" not in script.prompts[0]
    assert "Step 2 of 2. This is the last step" in script.prompts[1]
    assert record["usage"]["llmCalls"] == 2 + 1 and len(script.extractions) == 1  # + the cheap first read, declined


def test_a_model_that_never_finishes_ends_max_steps(api, llm):
    script = llm.script({"action": "scroll", "text": "down"})
    record = wait_terminal(api, submit(api, script, startUrl=HN, maxSteps=3)["taskId"])
    assert record["status"] == "failed" and record["errorCode"] == "max_steps"
    assert len(script.prompts) == 3


def test_hard_timeout_fails_the_task(api, llm):
    never = Hold(finish("too late"))  # the model is never let answer
    try:
        record = wait_terminal(api, submit(api, llm.script(never), startUrl=HN)["taskId"], timeout=60)
    finally:
        never.release()
    assert record["status"] == "failed" and record["errorCode"] == "timeout"
    assert "TASK_TIMEOUT_MS" in record["error"]


def test_malformed_replies_are_retried(api, llm):
    script = llm.script("this is not json", {"action": "dance"}, finish("Hacker News"))
    record = wait_terminal(api, submit(api, script, startUrl=HN)["taskId"])
    assert record["status"] == "completed" and record["usage"]["llmCalls"] == 3 + 1  # + the cheap first read, declined
    assert "invalid" in script.prompts[1] and len(script.extractions) == 1


SCHEMA = {"type": "object", "properties": {"title": {"type": "string"}, "points": {"type": "integer"}},
          "required": ["title", "points"], "additionalProperties": False}


def test_schema_result_is_validated_structured_content(api, llm):
    script = llm.script(finish("The top story has 412 points.", {"title": "Show HN: X", "points": 412}))
    record = wait_terminal(api, submit(api, script, startUrl=HN, schema=SCHEMA)["taskId"])
    assert record["status"] == "completed"
    assert record["structured_content"] == {"title": "Show HN: X", "points": 412}
    assert record["result"] == "The top story has 412 points."
    assert '"points"' in script.prompts[0]  # the schema reached the model


def test_schema_errors_go_back_to_the_model_once(api, llm):
    script = llm.script(finish("a", {"title": "X", "points": "many"}), finish("a", {"title": "X", "points": 3}))
    record = wait_terminal(api, submit(api, script, startUrl=HN, schema=SCHEMA)["taskId"])
    assert record["status"] == "completed" and record["structured_content"]["points"] == 3
    assert "points: 'many' is not of type 'integer'" in script.prompts[1]


def test_schema_unsatisfiable_when_it_still_does_not_validate(api, llm):
    script = llm.script(finish("a", {"title": "X"}))
    record = wait_terminal(api, submit(api, script, startUrl=HN, schema=SCHEMA)["taskId"])
    assert record["status"] == "failed" and record["errorCode"] == "schema_unsatisfiable"
    assert "points" in record["error"]
    assert "structured_content" not in record


def test_without_start_url_a_discovery_step_picks_the_site(api, llm):
    script = llm.script(lambda p: {"url": HN} if "Pick the web page" in p else title_answer(p))
    record = wait_terminal(api, submit(api, script)["taskId"])
    assert record["status"] == "completed" and record["result"] == "Hacker News"
    assert [s["type"] for s in record["stepSummaries"]][:2] == ["discovery", "navigation"]


def test_with_start_url_there_is_no_discovery(api, llm):
    script = llm.script(title_answer)
    record = wait_terminal(api, submit(api, script, startUrl=HN)["taskId"])
    assert "discovery" not in [s["type"] for s in record["stepSummaries"]]


def test_previous_context_and_error_reach_the_prompt(api, llm):
    failing = llm.script(finish("x"))
    first = submit(api, failing, startUrl="http://no-such-host.invalid/")
    assert wait_terminal(api, first["taskId"])["status"] == "failed"
    script = llm.script(title_answer)
    second = submit(api, script, startUrl=HN, sessionId=first["sessionId"])
    assert wait_terminal(api, second["taskId"])["status"] == "completed"
    assert "The previous turn failed: could not open no-such-host.invalid" in script.prompts[0]
    assert "Earlier turns of this conversation:" in script.prompts[0]


SHOW_STATE = (b"<title>x</title><script>document.title = 'cookies:' + document.cookie + ';storage:' + "
              b"(localStorage.getItem('k') || ''); localStorage.setItem('k', 'v')</script>")


@pytest.fixture
def cookie_site(local_site):
    """/set sets a cookie; any other page shows the cookies and storage it sees, then stores some."""
    return local_site(lambda path: (b"<title>set</title>", [("Set-Cookie", "seen=1; Path=/")])
                      if path.startswith("/set") else (SHOW_STATE, []))


def test_every_task_gets_a_fresh_context(api, llm, cookie_site):
    script = llm.script(title_answer)
    first = wait_terminal(api, submit(api, script, startUrl=f"{cookie_site}/set")["taskId"])
    second = wait_terminal(api, submit(api, script, startUrl=f"{cookie_site}/show")["taskId"])
    third = wait_terminal(api, submit(api, script, startUrl=f"{cookie_site}/show")["taskId"])
    assert first["result"] == "set"
    assert second["result"] == third["result"] == "cookies:;storage:"


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/", "http://169.254.169.254/latest/meta-data/",
                                 "http://10.1.2.3/", "http://[::1]/", "http://metadata.google.internal/"])
def test_private_and_metadata_addresses_are_blocked(api, llm, url):
    record = wait_terminal(api, submit(api, llm.script(finish("x")), startUrl=url)["taskId"])
    assert record["status"] == "failed" and record["errorCode"] == "blocked_address", record


@pytest.mark.parametrize("hops", [1, 3])
def test_redirects_to_private_addresses_are_blocked(api, llm, local_site, hops):
    # Chromium follows redirects without showing them to the guard: each hop is checked first.
    def page(path):
        n = int(path.strip("/") or 0)
        return b"", [("Location", f"/{n + 1}" if n + 1 < hops else "http://169.254.169.254/latest/meta-data/")]
    record = wait_terminal(api, submit(api, llm.script(finish("x")), startUrl=local_site(page) + "/0")["taskId"])
    assert record["status"] == "failed" and record["errorCode"] == "blocked_address", record
    assert "169.254.169.254" in record["error"]


def test_a_click_into_a_redirect_to_a_private_address_is_blocked(api, llm, local_site):
    def page(path):
        if path == "/go":
            return b"", [("Location", "http://10.1.2.3/admin")]
        return b'<title>Start</title><a href="/go">next</a>', []
    script = llm.script(click("next"), finish("x"))
    record = wait_terminal(api, submit(api, script, startUrl=local_site(page) + "/")["taskId"])
    assert record["errorCode"] == "blocked_address" and "10.1.2.3" in record["error"], record


@pytest.fixture
def canary():
    """A server on a loopback address the browser must never reach; records every hit."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.2", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.2:{server.server_address[1]}", hits
    server.shutdown()


def test_subresource_redirects_to_private_addresses_are_refused(api, llm, local_site, canary):
    # An image and a script's fetch, each redirected to a private address: Chromium follows such
    # redirects itself, so only the egress proxy sees them.
    # The page reports when each has settled (/done-...), and only then may the model answer.
    target, hits = canary
    settled: set[str] = set()
    both_settled = threading.Event()
    def page(path):
        if path.startswith("/r"):
            return b"", [("Location", f"{target}/canary{path}")]
        if path.startswith("/done-"):
            settled.add(path)
            if settled == {"/done-img", "/done-fetch"}:
                both_settled.set()
            return b"", []
        return (b'<title>Pictures</title><script>function done(what) { fetch("/done-" + what); }'
                b'fetch("/r-fetch").then(() => done("fetch"), () => done("fetch"));</script>'
                b'<img src="/r-img" onload="done(\'img\')" onerror="done(\'img\')">'), []
    answer = Hold(title_answer)
    try:
        task_id = submit(api, llm.script(answer), startUrl=local_site(page) + "/")["taskId"]
        assert both_settled.wait(60), f"the page's subresources never settled: {settled}"
        answer.release()
        record = wait_terminal(api, task_id)
    finally:
        answer.release()
    assert record["status"] == "completed" and record["result"] == "Pictures", record
    assert hits == [], hits


def test_redirects_between_allowed_pages_still_work(api, llm, local_site):
    def page(path):
        if path == "/old":
            return b"", [("Location", "/new")]
        return b"<title>New place</title>moved here", []
    record = wait_terminal(api, submit(api, llm.script(title_answer), startUrl=local_site(page) + "/old")["taskId"])
    assert record["status"] == "completed" and record["result"] == "New place", record
    assert record["visitedUrls"][0].endswith("/new")
