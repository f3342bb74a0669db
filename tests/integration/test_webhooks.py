"""Signed webhooks through the real stack: configured via Envoy, fed by the browser's
terminal events on Kafka, sent by the webhooks service to a local receiver, checked with
the independent `standardwebhooks` implementation."""
import base64
import datetime
import json
import threading
import time
import uuid

import httpx
import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from services.common import vault
from tests.conftest import wait_terminal
from tests.integration.test_agent import submit
from tests.integration.test_cancel import running_with_steps, wait_for
from tests.integration.test_event_stream import gated
from tests.scripted_llm import finish, finish_with_title
from tests.webhook_receiver import Receiver

HN = "https://news.ycombinator.com/"
UNREACHABLE = "http://does-not-exist.invalid/"
ATTEMPTS = 3  # the test stack's STABLEBROWSE_WEBHOOK_RETRY_DELAYS has two delays


@pytest.fixture
def receiver():
    opened = []

    def start(*statuses: int, location: str = "") -> Receiver:
        opened.append(Receiver(statuses or (200,), location))
        return opened[-1]

    yield start
    for r in opened:
        r.close()


@pytest.fixture
def other_api(stack):
    created = json.loads(stack.admin("business", "create", f"other-{uuid.uuid4().hex[:8]}", "--json"))
    with httpx.Client(base_url=stack.base_url, headers={"Authorization": f"Bearer {created['apiKey']}"},
                      timeout=30) as client:
        yield client


def configure(api, url: str, **body) -> dict:
    response = api.put("/v1/webhook", json={"url": url, **body})
    assert response.status_code == 200, response.text
    return response.json()


def run_task(api, llm, start_url: str = HN) -> str:
    script = llm.script(finish("Hacker News"))
    body = {"endUserId": "alice", "task": f"What is the title of this page? ({script.marker})", "startUrl": start_url}
    response = api.post("/v1/tasks", json=body)
    assert response.status_code == 201, response.text
    return response.json()["taskId"]


def deliveries(api) -> list[dict]:
    response = api.get("/v1/webhook/deliveries")
    assert response.status_code == 200, response.text
    return response.json().get("deliveries", [])


def wait_delivery(api, task_id: str, status: str, timeout: float = 90) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [d for d in deliveries(api) if d["taskId"] == task_id]
        if found and found[0]["status"] == status:
            return found[0]
        time.sleep(0.1)
    raise AssertionError(f"no {status} delivery for {task_id} after {timeout}s: {found}")


def verified(request: tuple[dict, bytes], secret: str) -> dict:
    headers, body = request
    return Webhook(secret).verify(body, headers)


def test_completed_task_is_delivered_signed_with_its_record(api, llm, receiver, stack):
    hook = receiver()
    config = configure(api, hook.url())
    task_id = run_task(api, llm)
    ((headers, body),) = hook.wait_for(1)
    payload = verified((headers, body), config["secret"])
    record = wait_terminal(api, task_id)
    assert payload["type"] == "task.completed"
    assert payload["data"] == record
    assert record["status"] == "completed" and record["result"] == "Hacker News"
    assert datetime.datetime.fromisoformat(payload["timestamp"]) == datetime.datetime.fromisoformat(record["updatedAt"])
    assert headers["content-type"] == "application/json"
    assert abs(int(headers["webhook-timestamp"]) - time.time()) < 60
    with pytest.raises(WebhookVerificationError):  # another secret does not verify it
        Webhook("whsec_" + base64.b64encode(b"k" * 32).decode()).verify(body, headers)
    delivered = wait_delivery(api, task_id, "delivered")
    assert delivered["id"] == headers["webhook-id"] and delivered["type"] == "task.completed"
    assert [a["statusCode"] for a in delivered["attempts"]] == [200]


def test_failed_task_is_delivered_as_task_failed(api, llm, receiver):
    hook = receiver()
    config = configure(api, hook.url())
    task_id = run_task(api, llm, start_url=UNREACHABLE)
    payload = verified(hook.wait_for(1)[0], config["secret"])
    assert payload["type"] == "task.failed"
    assert payload["data"]["taskId"] == task_id and payload["data"]["status"] == "failed"
    assert payload["data"]["errorCode"] == wait_terminal(api, task_id)["errorCode"]


def test_a_task_the_scheduler_ends_is_delivered_too(api, llm, receiver):
    """A pending turn cancelled before any worker saw it: its only outcome is the scheduler's."""
    hook = receiver()
    config = configure(api, hook.url(), events=["task.failed"])
    gate = threading.Event()
    try:
        first = submit(api, llm.script(gated(gate, finish_with_title)), startUrl=HN)
        wait_for(lambda: running_with_steps(api, first["taskId"]), what="the first turn running")
        second = submit(api, llm.script(finish_with_title), startUrl=HN, sessionId=first["sessionId"])
        assert api.post(f"/v1/tasks/{second['taskId']}/cancel").json()["status"] == "failed"
        payload = verified(hook.wait_for(1)[0], config["secret"])
    finally:
        gate.set()
    assert payload["type"] == "task.failed"
    assert (payload["data"]["taskId"], payload["data"]["errorCode"]) == (second["taskId"], "cancelled")
    assert payload["data"] == api.get(f"/v1/tasks/{second['taskId']}").json()


def test_receiver_error_is_retried_with_the_same_webhook_id(api, llm, receiver):
    hook = receiver(500, 200)
    config = configure(api, hook.url())
    task_id = run_task(api, llm)
    first, second = hook.wait_for(2)
    assert first[0]["webhook-id"] == second[0]["webhook-id"]
    assert first[1] == second[1]
    assert verified(second, config["secret"])["data"]["taskId"] == task_id
    delivered = wait_delivery(api, task_id, "delivered")
    assert [a["statusCode"] for a in delivered["attempts"]] == [500, 200]
    assert "nextAttemptAt" not in delivered


def test_private_address_is_refused_at_delivery(api, llm, receiver):
    hook = receiver()
    configure(api, hook.url(host="127.0.0.1"))  # not on STABLEBROWSE_WEBHOOK_ALLOWED_HOSTS
    task_id = run_task(api, llm)
    failed = wait_delivery(api, task_id, "failed")
    assert len(failed["attempts"]) == ATTEMPTS
    for attempt in failed["attempts"]:
        assert "statusCode" not in attempt
        assert attempt["error"].startswith("blocked_address: 127.0.0.1")
    assert hook.requests == []


def test_redirects_are_not_followed(api, llm, receiver):
    target = receiver()
    hook = receiver(307, location=target.url())
    configure(api, hook.url())
    task_id = run_task(api, llm)
    failed = wait_delivery(api, task_id, "failed")
    assert [a["statusCode"] for a in failed["attempts"]] == [307] * ATTEMPTS
    assert len(hook.requests) == ATTEMPTS
    assert target.requests == []


def test_only_the_configured_events_are_delivered(api, llm, receiver):
    hook = receiver()
    configure(api, hook.url(), events=["task.completed"])
    failed_task = run_task(api, llm, start_url=UNREACHABLE)
    assert wait_terminal(api, failed_task)["status"] == "failed"
    completed_task = run_task(api, llm)
    wait_delivery(api, completed_task, "delivered")
    assert [d["taskId"] for d in deliveries(api)] == [completed_task]
    assert [json.loads(body)["type"] for _, body in hook.requests] == ["task.completed"]


def test_secret_is_shown_on_creation_and_rotation_only_and_never_logged(api, llm, receiver, stack):
    hook = receiver()
    created = configure(api, hook.url())
    assert created["secret"].startswith("whsec_")
    assert len(base64.b64decode(created["secret"].removeprefix("whsec_"))) == 32
    assert created["events"] == ["task.completed", "task.failed"]
    shown = api.get("/v1/webhook").json()
    assert "secret" not in shown and shown["url"] == hook.url()
    changed = configure(api, hook.url() + "&v=2", events=["task.failed", "task.completed"])
    assert "secret" not in changed and changed["createdAt"] == created["createdAt"]
    rotated = configure(api, hook.url(), rotateSecret=True)
    assert rotated["secret"].startswith("whsec_") and rotated["secret"] != created["secret"]
    run_task(api, llm)
    request = hook.wait_for(1)[0]
    verified(request, rotated["secret"])
    with pytest.raises(WebhookVerificationError):
        verified(request, created["secret"])
    logs = "".join(p.read_text(errors="replace") for p in (stack.state_dir / "logs").iterdir())
    for secret in (created["secret"], rotated["secret"]):
        assert secret.removeprefix("whsec_") not in logs


def test_vault_key_rotation_reseals_the_secret_and_signing_goes_on(api, llm, receiver, stack, monkeypatch):
    hook = receiver()
    secret = configure(api, hook.url())["secret"]
    old = (stack.state_dir / "secret.key").read_text().strip()
    new = vault.new_key()
    for current, previous in ((new, old), (old, new)):  # there and back: the running stack keeps the old key
        monkeypatch.setenv("STABLEBROWSE_SECRET_KEY", current)
        monkeypatch.setenv("STABLEBROWSE_SECRET_KEY_PREVIOUS", previous)
        counts = json.loads(stack.admin("vault", "rotate"))["webhooks"]
        assert counts["resealed"] >= 1 and counts["unreadable"] == 0 and counts["current"] == 0
    run_task(api, llm)
    assert verified(hook.wait_for(1)[0], secret)["type"] == "task.completed"


def test_another_business_cannot_see_or_change_the_webhook(api, other_api, llm, receiver):
    hook = receiver()
    configure(api, hook.url())
    task_id = run_task(api, llm)
    wait_delivery(api, task_id, "delivered")
    assert other_api.get("/v1/webhook").status_code == 404
    assert other_api.delete("/v1/webhook").status_code == 404
    assert deliveries(other_api) == []
    configure(other_api, "https://hooks.example.com/other")
    assert api.get("/v1/webhook").json()["url"] == hook.url()
    assert other_api.delete("/v1/webhook").status_code == 200
    assert api.get("/v1/webhook").status_code == 200


def test_none_configured_is_404_and_delete_removes_it(api):
    for response in (api.get("/v1/webhook"), api.delete("/v1/webhook")):
        assert response.status_code == 404
        assert response.json()["message"].startswith("webhook: ")
    configure(api, "https://hooks.example.com/x")
    assert api.delete("/v1/webhook").status_code == 200
    assert api.get("/v1/webhook").status_code == 404


@pytest.mark.parametrize("body, field", [
    ({}, "url: required"),
    ({"url": "ftp://hooks.example.com/x"}, "url: must be an absolute http or https URL"),
    ({"url": "/relative/path"}, "url: must be an absolute http or https URL"),
    ({"url": "https://hooks.example.com/" + "a" * 2048}, "url: must be at most 2048 characters"),
    ({"url": "https://user:pw@hooks.example.com/x"}, "url: must not contain a user name or password"),
    ({"url": "https://hooks.example.com/x", "events": ["task.completed", "task.started"]}, "events[1]: must be one of"),
    ({"url": "   "}, "url: required"),
])
def test_bad_configuration_is_400_naming_the_field(api, body, field):
    response = api.put("/v1/webhook", json=body)
    assert response.status_code == 400, response.text
    assert response.json()["message"].startswith(field)


def test_deliveries_limit_is_checked(api):
    response = api.get("/v1/webhook/deliveries", params={"limit": 101})
    assert response.status_code == 400
    assert response.json()["message"].startswith("limit: ")
    assert api.get("/v1/webhook/deliveries", params={"limit": 5}).status_code == 200


def test_without_api_key_is_401(stack):
    assert httpx.get(f"{stack.base_url}/v1/webhook").status_code == 401
