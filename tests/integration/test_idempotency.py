"""Idempotency-Key on POST /v1/tasks, through Envoy on the real stack (Stripe's convention)."""
import concurrent.futures
import datetime
import json
import uuid

import httpx
import pymongo
import pytest

from services.scheduler import idempotency
from tests.conftest import wait_terminal
from tests.scripted_llm import Hold, finish

HN = "https://news.ycombinator.com/"


@pytest.fixture
def db(stack):
    client = pymongo.MongoClient(stack.mongodb_uri, tz_aware=True)
    yield client.stablebrowse
    client.close()


def body(**fields) -> dict:
    return {"endUserId": "alice", "task": "What is the title of the top story?", "startUrl": HN, **fields}


def post(client: httpx.Client, key: str, payload: dict) -> httpx.Response:
    return client.post("/v1/tasks", json=payload, headers={"Idempotency-Key": key})


def tasks_with_key(db, business_id: str, key: str) -> list[dict]:
    return list(db.tasks.find({"business_id": business_id, "idempotency_id": idempotency.key_id(business_id, key)}))


def client_of(stack, business: dict) -> httpx.Client:
    return httpx.Client(base_url=stack.base_url, headers={"Authorization": f"Bearer {business['apiKey']}"}, timeout=30)


def test_same_key_and_body_answers_the_same_task(db, business, api):
    key = str(uuid.uuid4())
    first = post(api, key, body())
    # The same JSON with its keys in another order is the same request.
    again = post(api, key, dict(reversed(list(body().items()))))
    assert first.status_code == 201, first.text
    assert again.status_code == 200, again.text
    assert again.headers["idempotent-replayed"] == "true" and "idempotent-replayed" not in first.headers
    for name in ("taskId", "sessionId", "createdAt"):
        assert again.json()[name] == first.json()[name]
    assert [t["_id"] for t in tasks_with_key(db, business["businessId"], key)] == [first.json()["taskId"]]
    assert db.tasks.count_documents({"business_id": business["businessId"]}) == 1


def test_replay_tells_the_status_now(api, llm):
    script = llm.script(finish("Hacker News"))
    payload = body(task=f"Title? ({script.marker})")
    first = post(api, "status-now", payload).json()
    assert wait_terminal(api, first["taskId"])["status"] == "completed"
    assert post(api, "status-now", payload).json()["status"] == "completed"


def test_same_key_other_body_is_a_409_naming_the_header(api):
    assert post(api, "k-1", body()).status_code == 201
    other = post(api, "k-1", body(task="Who wrote the top story?"))
    assert other.status_code == 409, other.text
    assert other.json()["message"].startswith("Idempotency-Key:")
    assert "retry-after" not in other.headers  # retrying it cannot help


def test_keys_are_scoped_per_business(stack, db, business, api):
    other = json.loads(stack.admin("business", "create", "other", "--json"))
    mine = post(api, "shared-key", body()).json()
    with client_of(stack, other) as them:
        theirs = post(them, "shared-key", body())
    assert theirs.status_code == 201, theirs.text
    assert theirs.json()["taskId"] != mine["taskId"]
    assert len(tasks_with_key(db, other["businessId"], "shared-key")) == 1
    assert len(tasks_with_key(db, business["businessId"], "shared-key")) == 1


def test_ten_concurrent_duplicates_create_exactly_one_task(stack, db, business):
    key = str(uuid.uuid4())

    def submit(_) -> httpx.Response:
        with client_of(stack, business) as client:
            return post(client, key, body())

    with concurrent.futures.ThreadPoolExecutor(10) as pool:
        answers = list(pool.map(submit, range(10)))
    created = [a for a in answers if a.status_code == 201]
    assert len(created) == 1, [(a.status_code, a.text) for a in answers]
    for answer in answers:
        if answer.status_code == 409:  # still in progress at that moment: retry later
            assert answer.json()["message"].startswith("Idempotency-Key:") and answer.headers["retry-after"] == "1"
        else:
            assert answer.status_code in (200, 201) and answer.json()["taskId"] == created[0].json()["taskId"], answer.text
    assert len(tasks_with_key(db, business["businessId"], key)) == 1
    assert db.tasks.count_documents({"business_id": business["businessId"]}) == 1


def test_an_expired_key_makes_a_new_task(db, business, api):
    first = post(api, "old-key", body()).json()
    entry_id = idempotency.key_id(business["businessId"], "old-key")
    past = datetime.datetime.now(datetime.UTC) - datetime.timedelta(seconds=1)
    db.idempotency_keys.update_one({"_id": entry_id}, {"$set": {"expires_at": past}})
    again = post(api, "old-key", body())
    assert again.status_code == 201, again.text
    assert again.json()["taskId"] != first["taskId"]


def test_a_refused_submission_frees_its_key(stack, business, api, llm):
    stack.admin("quota", "set", business["businessId"], "--max-concurrent", "1")
    held = Hold(finish("done"))  # the holder keeps the only slot until the refusal was seen
    try:
        holder = api.post("/v1/tasks", json=body(task=f"Hold ({llm.script(held).marker})")).json()
        refused = post(api, "after-429", body())
        assert refused.status_code == 429, refused.text
    finally:
        held.release()
    wait_terminal(api, holder["taskId"])
    retried = post(api, "after-429", body())
    assert retried.status_code == 201, retried.text


def test_a_submission_that_died_mid_way(db, business, api):
    """A key left in progress: recent is a 409 to retry; stale (its scheduler died) is settled."""
    created = post(api, "crashed", body()).json()
    entry_id = idempotency.key_id(business["businessId"], "crashed")
    now = datetime.datetime.now(datetime.UTC)
    db.idempotency_keys.update_one({"_id": entry_id}, {"$set": {"state": "in_progress", "reserved_at": now}})
    busy = post(api, "crashed", body())
    assert busy.status_code == 409 and busy.headers["retry-after"] == "1", busy.text
    # Past the lease: the task its first submission stored is the answer.
    stale = now - datetime.timedelta(seconds=idempotency.IN_PROGRESS_SECONDS + 1)
    db.idempotency_keys.update_one({"_id": entry_id}, {"$set": {"reserved_at": stale}})
    settled = post(api, "crashed", body())
    assert settled.status_code == 200 and settled.json()["taskId"] == created["taskId"], settled.text
    # A stale reservation with no task behind it (its scheduler died before storing one) is taken over.
    lost = post(api, "orphan", body()).json()
    db.tasks.delete_one({"_id": lost["taskId"]})
    db.idempotency_keys.update_one({"_id": idempotency.key_id(business["businessId"], "orphan")},
                                   {"$set": {"state": "in_progress", "reserved_at": stale}})
    taken_over = post(api, "orphan", body())
    assert taken_over.status_code == 201 and taken_over.json()["taskId"] != lost["taskId"], taken_over.text


@pytest.mark.parametrize("key", ["", "x" * 256, "tab\tinside"])
def test_a_malformed_key_is_a_400_naming_the_header(api, key):
    response = post(api, key, body())
    assert response.status_code == 400, response.text
    assert response.json()["message"].startswith("Idempotency-Key:")


def test_without_a_key_each_post_is_a_new_task(api):
    ids = {api.post("/v1/tasks", json=body()).json()["taskId"] for _ in range(2)}
    assert len(ids) == 2
