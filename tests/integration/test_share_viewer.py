"""The shareable task viewer, through Envoy, in real Chromium: POST /v1/tasks/{id}/share, then
the link opened in a fresh browser context with no API key shows what a person needs, live."""
import datetime
import json
import os
import threading
import time

import httpx
import pytest
from playwright.sync_api import expect, sync_playwright

from services.browser.settings import BrowserSettings
from services.gateway.share_token import ShareSigner
from tests.conftest import wait_terminal
from tests.integration.test_agent import click, submit
from tests.integration.test_event_stream import gated
from tests.scripted_llm import finish, finish_with_title

HN = "https://news.ycombinator.com/"
CHROMIUM = BrowserSettings().chromium_path
pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="no Chromium")
expect.set_options(timeout=30_000)  # a shared CPU can be slow; each wait still ends on its condition
UNTRUSTED = '<img src=x id="injected"> & <b>bold</b>'


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              chromium_sandbox=os.geteuid() != 0, args=["--disable-gpu"])
        yield chromium
        chromium.close()


@pytest.fixture
def viewer(browser):
    """A fresh context (no API key, no cookies) and its page; console errors are collected."""
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    yield page
    context.close()


def share(api: httpx.Client, task_id: str, **body) -> dict:
    response = api.post(f"/v1/tasks/{task_id}/share", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def test_a_shared_completed_task_shows_question_status_steps_and_answer(api, llm, viewer, tmp_path):
    schema = {"type": "object", "properties": {"story": {"type": "string"}}, "required": ["story"]}
    script = llm.script(click("new"), finish(UNTRUSTED, {"story": "</pre><script>alert(1)</script>"}))
    task = submit(api, script, schema=schema, startUrl=HN)
    record = wait_terminal(api, task["taskId"])
    assert record["status"] == "completed", record
    link = share(api, task["taskId"])
    assert link["url"].startswith(f"{api.base_url}/share/")

    response = viewer.goto(link["url"])
    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["referrer-policy"] == "no-referrer"
    expect(viewer.locator("#status")).to_have_text("completed")
    expect(viewer.locator("#answer")).to_have_text(UNTRUSTED)
    viewer.screenshot(path=str(tmp_path / "shared-task.png"), full_page=True)

    expect(viewer.locator("#question")).to_have_text(record["task"])
    messages = viewer.locator(".step-msg").all_text_contents()
    assert messages == [step["msg"] for step in record["stepSummaries"]] and len(messages) == 3
    assert json.loads(viewer.locator("#structured").text_content()) == record["structured_content"]
    assert viewer.locator("#urls a").all_text_contents() == record["visitedUrls"]
    # Untrusted text stayed text: no element was made from it, no script ran, nothing was blocked.
    assert viewer.locator("#injected").count() == 0 and viewer.locator("#answer b").count() == 0
    assert viewer.locator("#error-card").is_hidden()
    assert viewer.console_errors == []
    # Each step the record says has a screenshot shows it, loaded through the link (JPEG decoded).
    shots = viewer.locator("img.shot")
    with_shots = [step for step in record["stepSummaries"] if step.get("hasScreenshot")]
    assert with_shots and shots.count() == len(with_shots)
    for i in range(shots.count()):
        expect(shots.nth(i)).to_have_js_property("complete", True)
        assert shots.nth(i).evaluate("img => img.naturalWidth") > 0


def test_a_running_tasks_page_shows_new_steps_without_a_reload(api, llm, viewer, tmp_path):
    gate = threading.Event()
    script = llm.script(gated(gate, click("new")), finish_with_title)
    task = submit(api, script, startUrl=HN)
    link = share(api, task["taskId"], expiresInSeconds=600)
    viewer.goto(link["url"])
    # The agent is held at its first model call: the page shows the task running, one step in.
    expect(viewer.locator("#status")).to_have_text("running")
    expect(viewer.locator(".step")).to_have_count(1)
    expect(viewer.locator("#live")).to_be_visible()
    viewer.screenshot(path=str(tmp_path / "running-task.png"), full_page=True)
    viewer.evaluate("window.sameDocument = true")
    gate.set()
    expect(viewer.locator(".step")).to_have_count(3)
    expect(viewer.locator("#status")).to_have_text("completed")
    record = wait_terminal(api, task["taskId"])
    expect(viewer.locator("#answer")).to_have_text(record["result"])
    assert viewer.evaluate("window.sameDocument") is True  # no reload happened
    assert viewer.locator(".step-type").all_text_contents() == [s["type"] for s in record["stepSummaries"]]
    expect(viewer.locator("#live")).to_be_hidden()
    viewer.screenshot(path=str(tmp_path / "live-task.png"), full_page=True)


def test_a_failed_task_shows_its_error_and_code(api, llm, viewer):
    script = llm.script("not json", "still not json", "never json")
    task = submit(api, script, startUrl=HN)
    record = wait_terminal(api, task["taskId"])
    assert record["status"] == "failed"
    viewer.goto(share(api, task["taskId"])["url"])
    expect(viewer.locator("#status")).to_have_text("failed")
    expect(viewer.locator("#error-code")).to_have_text(record["errorCode"])
    expect(viewer.locator("#error")).to_have_text(record["error"])
    assert viewer.locator("#answer-card").is_hidden()


def altered(token: str) -> str:
    payload, signature = token.split(".")
    return f"{payload}.{'A' if signature[0] != 'A' else 'B'}{signature[1:]}"


def test_altered_expired_and_foreign_tokens_show_no_task(api, llm, stack, business, viewer, tmp_path):
    script = llm.script(finish("the secret answer"))
    task = submit(api, script, task="Private question", startUrl=HN)
    wait_terminal(api, task["taskId"])
    token = share(api, task["taskId"])["url"].rsplit("/", 1)[1]
    secret = (stack.state_dir / "share.secret").read_text().strip()
    expired, _ = ShareSigner(secret, clock=lambda: time.time() - 3600).sign(task["taskId"], business["businessId"], 60)
    foreign, _ = ShareSigner("another-deployment-" * 3).sign(task["taskId"], business["businessId"], 3600)
    for bad, status, words in [(altered(token), 404, "not valid"), (expired, 410, "expired"),
                               (foreign, 404, "not valid"), ("nonsense", 404, "not valid")]:
        response = viewer.goto(f"{stack.base_url}/share/{bad}")
        assert response.status == status, bad
        expect(viewer.locator("h1")).to_contain_text(words)
        viewer.screenshot(path=str(tmp_path / f"link-{status}.png"))
        assert "Private question" not in viewer.content() and "secret answer" not in viewer.content()
        for path in ("task", "events", "steps/1/screenshot"):
            data = httpx.get(f"{stack.base_url}/share/{bad}/{path}", timeout=10)
            assert data.status_code == 404, (path, data.text)
            assert "Private question" not in data.text and "secret answer" not in data.text
    assert httpx.get(f"{stack.base_url}/share/{token}/task", timeout=10).json()["result"] == "the secret answer"


def test_a_link_reads_its_task_only_and_without_what_belongs_to_the_business(api, llm, stack):
    task = submit(api, llm.script(finish("done")), startUrl=HN)
    record = wait_terminal(api, task["taskId"])
    token = share(api, task["taskId"])["url"].rsplit("/", 1)[1]
    shared = httpx.get(f"{stack.base_url}/share/{token}/task", timeout=10)
    assert shared.status_code == 200 and shared.headers["cache-control"] == "no-store"
    body = shared.json()
    assert body["taskId"] == task["taskId"] and body["result"] == "done"
    assert not {"endUserId", "sessionId", "html_dump", "previousContext"} & set(body)
    assert record["endUserId"] == "alice" and "sessionId" in record
    # The token is no API key: nothing else of the business answers to it.
    as_key = {"Authorization": f"Bearer {token}"}
    assert httpx.get(f"{stack.base_url}/v1/tasks", headers=as_key, timeout=10).status_code == 401
    assert httpx.get(f"{stack.base_url}/v1/tasks/{task['taskId']}", headers=as_key, timeout=10).status_code == 401


def test_the_shared_event_stream_ends_with_the_shared_record(api, llm, stack):
    task = submit(api, llm.script(click("new"), finish_with_title), startUrl=HN)
    wait_terminal(api, task["taskId"])
    token = share(api, task["taskId"])["url"].rsplit("/", 1)[1]
    with httpx.stream("GET", f"{stack.base_url}/share/{token}/events", timeout=30) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        lines = list(response.iter_lines())
    events = [line.removeprefix("event: ") for line in lines if line.startswith("event: ")]
    assert events.count("step") == 3 and events[-1] == "done"
    done = json.loads(lines[lines.index("event: done") + 1].removeprefix("data: "))
    assert done["status"] == "completed" and "endUserId" not in done and "sessionId" not in done


def test_share_requests_are_checked(api, llm, stack):
    task = submit(api, llm.script(finish("ok")), startUrl=HN)
    before = time.time()
    link = share(api, task["taskId"])
    expires = datetime.datetime.fromisoformat(link["expiresAt"].replace("Z", "+00:00")).timestamp()
    assert before + 86_400 - 5 <= expires <= time.time() + 86_400 + 5
    for value in (59, 604_801, -1):
        response = api.post(f"/v1/tasks/{task['taskId']}/share", json={"expiresInSeconds": value})
        assert response.status_code == 400 and response.json()["message"].startswith("expiresInSeconds: "), value
    assert api.post(f"/v1/tasks/{task['taskId']}/share").status_code == 200  # no body: the default
    assert api.post("/v1/tasks/0123456789abcdef0123456789abcdef/share", json={}).status_code == 404
    other = json.loads(stack.admin("business", "create", "share-outsider", "--json"))
    with httpx.Client(base_url=stack.base_url, headers={"Authorization": f"Bearer {other['apiKey']}"}) as outsider:
        refused = outsider.post(f"/v1/tasks/{task['taskId']}/share", json={})
    assert refused.status_code == 404 and refused.json()["message"] == "task not found"
    assert httpx.post(f"{stack.base_url}/v1/tasks/{task['taskId']}/share", json={}).status_code == 401


def test_viewer_files_are_served_with_the_policy_and_nothing_else_is(stack):
    script = httpx.get(f"{stack.base_url}/viewer/viewer.js", timeout=10)
    assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")
    assert "default-src 'none'" in script.headers["content-security-policy"]
    assert "innerHTML" not in script.text
    assert httpx.get(f"{stack.base_url}/viewer/index.html", timeout=10).status_code == 404
    assert httpx.get(f"{stack.base_url}/viewer/..%2Fshare_viewer.py", timeout=10).status_code == 404


def test_the_share_secret_and_tokens_never_reach_the_logs(api, llm, stack):
    task = submit(api, llm.script(finish("logged?")), startUrl=HN)
    wait_terminal(api, task["taskId"])
    token = share(api, task["taskId"])["url"].rsplit("/", 1)[1]
    assert httpx.get(f"{stack.base_url}/share/{token}/task", timeout=10).status_code == 200
    assert httpx.get(f"{stack.base_url}/share/{altered(token)}/task", timeout=10).status_code == 404
    secret = (stack.state_dir / "share.secret").read_text().strip()
    logs = {path.name: path.read_text(errors="replace") for path in (stack.state_dir / "logs").glob("*.log")}
    assert "gateway.log" in logs and "envoy.log" in logs
    assert not [name for name, text in logs.items() if secret in text or token.split(".")[1] in text]
