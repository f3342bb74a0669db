"""Cost caps: a task's token budget (STABLEBROWSE_TASK_TOKEN_BUDGET, 150000 on the test stack
as by default) and the finite default quotas of a new business."""
import datetime
import json
import subprocess
import time
import uuid

import httpx
import pymongo
import pytest

from dev.stack import embedded
from tests.conftest import REPO, wait_terminal
from tests.scripted_llm import Usage, finish

BUDGET = 150_000


def post(api, script, start_url: str) -> dict:
    response = api.post("/v1/tasks", json={"endUserId": "alice", "task": f"Read the page ({script.marker})",
                                           "startUrl": start_url})
    assert response.status_code == 201, response.text
    return response.json()


def test_a_task_past_its_token_budget_fails_budget_exceeded(api, llm, local_site):
    page = local_site(lambda path: (b"<title>long</title><p>text</p>", [])) + "/"
    script = llm.script(Usage(100_000, 200, {"action": "scroll", "text": "down"}),
                        Usage(49_000, 700, {"action": "scroll", "text": "down"}),  # 149,900: still within
                        Usage(90, 20, {"action": "scroll", "text": "down"}),      # 150,010: past it
                        finish("never asked"))
    record = wait_terminal(api, post(api, script, page)["taskId"])
    assert record["status"] == "failed", record
    assert record["errorCode"] == "budget_exceeded", record
    assert str(BUDGET) in record["error"] and "150010" in record["error"]
    assert len(script.prompts) == 3  # no model call after the budget was passed
    assert record["usage"] == {"llmCalls": 3, "promptTokens": 149_090, "completionTokens": 920}


def test_a_task_that_uses_exactly_its_budget_completes(api, llm, local_site):
    page = local_site(lambda path: (b"<title>short</title><p>text</p>", [])) + "/"
    script = llm.script(Usage(140_000, 100, {"action": "scroll", "text": "down"}), Usage(9_000, 900, finish("done")))
    record = wait_terminal(api, post(api, script, page)["taskId"])
    assert record["status"] == "completed" and record["result"] == "done", record


def business_doc(stack, business_id: str) -> dict:
    client = pymongo.MongoClient(stack.mongodb_uri)
    try:
        return client.stablebrowse.businesses.find_one({"_id": business_id})
    finally:
        client.close()


def test_a_new_business_has_finite_default_quotas(stack, business):
    assert business_doc(stack, business["businessId"])["quota"] == {"requests_per_minute": 600, "max_concurrent": 50}


def test_unlimited_is_spelled_out_and_zero_is_refused(stack, business):
    shown = json.loads(stack.admin("quota", "set", business["businessId"], "--requests-per-minute", "unlimited",
                                   "--max-concurrent", "unlimited"))
    assert shown == {"businessId": business["businessId"], "requests_per_minute": "unlimited",
                     "max_concurrent": "unlimited"}
    for value in ("0", "-3", "lots"):
        out = subprocess.run([str(REPO / ".venv/bin/stablebrowse-admin"), "quota", "set", business["businessId"],
                              "--max-concurrent", value], env=embedded.admin_env(stack.state_dir, stack.info),
                             capture_output=True, text=True, timeout=60)
        assert out.returncode != 0 and "at least 1 or 'unlimited'" in out.stderr, out.stderr
    assert business_doc(stack, business["businessId"])["quota"]["max_concurrent"] == "unlimited"


@pytest.fixture
def slow_page(local_site):
    """A page that answers only once `release` is set (at most 20 s), so tasks stay running."""
    release = []

    def page(path):
        deadline = time.monotonic() + 20
        while not release and time.monotonic() < deadline:
            time.sleep(0.05)
        return b"<title>slow</title>", []

    yield local_site(page) + "/", release
    release.append(True)


def test_unlimited_concurrency_admits_past_a_former_limit(stack, business, api, llm, slow_page):
    url, release = slow_page
    script = llm.script(finish("slow"))
    stack.admin("quota", "set", business["businessId"], "--max-concurrent", "1")
    first = post(api, script, url)
    refused = api.post("/v1/tasks", json={"endUserId": "alice", "task": "t", "startUrl": url})
    assert refused.status_code == 429 and "max_concurrent=1" in refused.text
    stack.admin("quota", "set", business["businessId"], "--max-concurrent", "unlimited")
    second = post(api, script, url)
    release.append(True)
    for task in (first, second):
        assert wait_terminal(api, task["taskId"])["status"] == "completed"


def test_a_business_without_a_quota_document_keeps_working(stack, llm, local_site):
    business_id = f"biz_legacy{uuid.uuid4().hex[:12]}"
    client = pymongo.MongoClient(stack.mongodb_uri)
    try:
        client.stablebrowse.businesses.insert_one({"_id": business_id, "name": "legacy", "created_at": datetime.datetime.now(datetime.UTC)})
    finally:
        client.close()
    key = json.loads(stack.admin("key", "create", business_id, "--json"))["apiKey"]
    page = local_site(lambda path: (b"<title>legacy</title>", [])) + "/"
    script = llm.script(finish("fine"))
    with httpx.Client(base_url=stack.base_url, headers={"Authorization": f"Bearer {key}"}, timeout=30) as api:
        record = wait_terminal(api, post(api, script, page)["taskId"])
    assert record["status"] == "completed" and record["result"] == "fine", record
