"""End users' credentials through Envoy: stored sealed, listed redacted, used by the agent on
the replica's login-walled social.example, scoped to one business, and never seen in plaintext
by the model, the database, the logs or Kafka."""
import json
import re
import uuid

import httpx
import pytest

from services.common import vault
from tests.conftest import wait_terminal
from tests.scripted_llm import finish

SOCIAL = "social.example"
HOME = "https://social.example/home"
PASSWORD = "correct horse battery staple"  # alice's, on the replica
COOKIE = "alice-7f3c2a9e4b1d8c6f"  # alice's fixed session on the replica
NEWEST_POST = "Finally finished the bookshelf."  # the top of alice's private timeline
SECRETS = (PASSWORD, COOKIE, "correct+horse+battery+staple", "correct%20horse%20battery%20staple")


@pytest.fixture(autouse=True, scope="module")
def no_secret_reaches_the_model(llm):
    """The scripted model refuses (and records) any prompt holding a secret of this module."""
    llm.forbid(*SECRETS)


def end_user() -> str:
    return f"user-{uuid.uuid4().hex[:8]}"


def path(user: str, domain: str = "") -> str:
    return f"/v1/end-users/{user}/credentials" + (f"/{domain}" if domain else "")


def put_cookie(api, user: str, value: str = COOKIE) -> httpx.Response:
    return api.put(path(user, SOCIAL), json={"cookies": [{"name": "session", "value": value, "httpOnly": True}]})


def put_password(api, user: str) -> httpx.Response:
    return api.put(path(user, SOCIAL), json={"username": "alice", "password": PASSWORD})


def feed_task(api, script, user: str) -> dict:
    body = {"endUserId": user, "task": f"What is the newest post in my feed? ({script.marker})", "startUrl": HOME}
    response = api.post("/v1/tasks", json=body)
    assert response.status_code == 201, response.text
    return wait_terminal(api, response.json()["taskId"])


def ref_of(prompt: str, role: str, name: str) -> str:
    return re.search(rf'\[(e\d+)\] {role} "{re.escape(name)}"', prompt).group(1)


def read_feed(prompt: str) -> dict:
    """The model's answer: the first post text if the page shows the private timeline."""
    if "Your Home Timeline" not in prompt:
        return finish("")
    return finish(re.search(r"(Finally finished the bookshelf\.[^·\n]*[^·\s])", prompt).group(1))


def assert_no_secret(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text


def test_put_list_delete_are_redacted_and_scoped_to_the_end_user(api):
    user = end_user()
    stored = put_cookie(api, user)
    assert stored.status_code == 200, stored.text
    assert stored.json()["domain"] == SOCIAL and stored.json()["kind"] == "cookies" and "updatedAt" in stored.json()
    replaced = api.put(path(user, "Social.Example"), json={"username": "alice", "password": PASSWORD,
                                                          "cookies": [{"name": "session", "value": COOKIE}]})
    assert replaced.json()["kind"] == "cookies+password"
    listed = api.get(path(user))
    assert listed.status_code == 200
    assert [c["domain"] for c in listed.json()["credentials"]] == [SOCIAL]
    assert set(listed.json()["credentials"][0]) == {"domain", "kind", "updatedAt"}
    for response in (stored, replaced, listed):
        assert_no_secret(response.text)
    assert api.get(path(end_user())).json().get("credentials", []) == []
    assert api.delete(path(user, SOCIAL)).status_code == 200
    gone = api.delete(path(user, SOCIAL))
    assert gone.status_code == 404 and "social.example" in gone.json()["message"]
    assert api.get(path(user)).json().get("credentials", []) == []


@pytest.mark.parametrize("url, body, field", [
    (path("u1", "not a domain"), {"cookies": [{"name": "a", "value": "b"}]}, "domain:"),
    (path("u1", "10.0.0.1"), {"cookies": [{"name": "a", "value": "b"}]}, "domain:"),
    (path("u1", "localhost"), {"cookies": [{"name": "a", "value": "b"}]}, "domain:"),
    (path("u" * 257, SOCIAL), {"cookies": [{"name": "a", "value": "b"}]}, "endUserId:"),
    (path("u1", SOCIAL), {}, "cookies:"),
    (path("u1", SOCIAL), {"username": "alice"}, "password:"),
    (path("u1", SOCIAL), {"password": "x"}, "username:"),
    (path("u1", SOCIAL), {"cookies": [{"name": "", "value": "b"}]}, "cookies[0].name:"),
    (path("u1", SOCIAL), {"cookies": [{"name": "a", "value": "b"}, {"name": "s", "value": "v", "domain": "bank.example"}]},
     "cookies[1].domain:"),
    (path("u1", SOCIAL), {"cookies": [{"name": "a", "value": "b; Path=/"}]}, "cookies[0].value:"),
    (path("u1", SOCIAL), {"cookies": [{"name": "a", "value": "b", "path": "home"}]}, "cookies[0].path:"),
    (path("u1", SOCIAL), {"cookies": [{"name": "a", "value": "b", "sameSite": "Sometimes"}]}, "cookies[0].sameSite:"),
    (path("u1", SOCIAL), {"cookies": [{"name": f"c{i}", "value": "v"} for i in range(51)]}, "cookies:"),
    (path("u1", SOCIAL), {"username": "alice", "password": "p" * 1025}, "password:"),
])
def test_bad_credentials_are_refused_naming_the_field(api, url, body, field):
    response = api.put(url, json=body)
    assert response.status_code == 400, response.text
    assert response.json()["message"].startswith(field), response.json()


def test_a_stored_cookie_reads_the_private_feed(api, llm):
    user = end_user()
    assert put_cookie(api, user).status_code == 200
    script = llm.script(read_feed)
    record = feed_task(api, script, user)
    assert record["status"] == "completed", (record.get("error"), record.get("stepSummaries"))
    assert record["result"].startswith(NEWEST_POST)
    assert record["visitedUrls"] == [HOME]
    assert "Your Home Timeline" in script.prompts[0]


def test_a_stored_password_signs_in_without_asking_the_model(api, llm):
    user = end_user()
    assert put_password(api, user).status_code == 200
    script = llm.script(read_feed)
    record = feed_task(api, script, user)
    assert record["status"] == "completed", (record.get("error"), record.get("stepSummaries"))
    assert record["result"].startswith(NEWEST_POST)
    assert [(s["type"], s["msg"]) for s in record["stepSummaries"]] == [
        ("navigation", "Opened social.example"),
        ("execution", "Signed in to social.example with the end user's saved login"),
        ("finalize", "Composed the answer")]
    assert record["visitedUrls"] == ["https://social.example/login?next=/home", HOME]
    assert len(script.prompts) == 1 and "Your Home Timeline" in script.prompts[0]


def test_on_a_script_driven_sign_in_the_model_types_placeholders(api, llm):
    user = end_user()
    assert put_password(api, user).status_code == 200
    script = llm.script(
        lambda p: {"action": "type", "ref": ref_of(p, "textbox", "Phone, email or username"), "text": "{{username}}"},
        lambda p: {"action": "type", "ref": ref_of(p, "password", "Password"), "text": "{{password}}"},
        read_feed,
    )
    body = {"endUserId": user, "task": f"What is the newest post in my feed? ({script.marker})",
            "startUrl": "https://social.example/i/flow/login?next=/home"}
    record = wait_terminal(api, api.post("/v1/tasks", json=body).json()["taskId"])
    assert record["status"] == "completed", (record.get("error"), record.get("stepSummaries"))
    assert record["result"].startswith(NEWEST_POST)
    assert "{{username}}" in script.prompts[0] and "{{password}}" in script.prompts[0]
    assert [s["type"] for s in record["stepSummaries"]] == ["navigation", "execution", "execution", "finalize"]
    assert record["visitedUrls"][-1] == HOME
    for text in script.prompts + [str(record)]:
        assert_no_secret(text)


@pytest.mark.parametrize("answer", ["", "The newest post is about the weather."])
def test_without_a_credential_the_task_fails_credential_missing(api, llm, answer):
    # Also when the model answers anyway from the sign-in page: that is no answer to a private question.
    script = llm.script(lambda p: finish(answer))
    record = feed_task(api, script, end_user())
    assert record["status"] == "failed", record
    assert record["errorCode"] == "credential_missing"
    assert "social.example" in record["error"]
    assert "no saved login for social.example" in script.prompts[0]


def test_without_a_credential_a_public_path_still_answers(api, llm):
    script = llm.script(lambda p: {"action": "navigate", "url": "https://social.example/explore"},
                        lambda p: finish("Lunar relay" if "Lunar relay" in p else ""))
    record = feed_task(api, script, end_user())
    assert record["status"] == "completed" and record["result"] == "Lunar relay", record


def test_a_placeholder_is_never_filled_on_another_site(api, llm, local_site):
    user = end_user()
    assert put_password(api, user).status_code == 200
    site = local_site(lambda path: (b'<title>Search</title><input type="text" aria-label="Search">', []))
    script = llm.script(
        lambda p: {"action": "type", "ref": ref_of(p, "textbox", "Search"), "text": "{{password}}"},
        lambda p: finish("done"),
    )
    body = {"endUserId": user, "task": f"Search ({script.marker})", "startUrl": site}
    record = wait_terminal(api, api.post("/v1/tasks", json=body).json()["taskId"])
    step = {k: v for k, v in record["stepSummaries"][1].items() if k not in ("hasScreenshot", "at")}  # screenshots, times: elsewhere
    assert step == {"n": 2, "type": "execution", "msg": "Could not type: no saved login for localhost", "success": False}
    assert "no saved login for localhost" in script.prompts[1]


def test_another_business_cannot_list_use_delete_or_overwrite(stack, api, llm):
    user = end_user()
    assert put_cookie(api, user).status_code == 200
    before = api.get(path(user)).json()["credentials"]
    key = json.loads(stack.admin("business", "create", f"other-{uuid.uuid4().hex[:6]}", "--json"))["apiKey"]
    other = httpx.Client(base_url=stack.base_url, timeout=30, headers={"Authorization": f"Bearer {key}"})
    with other:
        assert other.get(path(user)).json().get("credentials", []) == []
        assert other.delete(path(user, SOCIAL)).status_code == 404
        # Its own credential for the same end user id and domain is its own, not a replacement.
        assert other.put(path(user, SOCIAL), json={"cookies": [{"name": "session", "value": "bob-2d9e81c4a7f05b3e"}]}
                         ).status_code == 200
        record = feed_task(other, llm.script(lambda p: finish("Bob's feed" if "Northpeak" in p else "")), user)
        assert record["status"] == "completed" and record["result"] == "Bob's feed"
        other.delete(path(user, SOCIAL))
        record = feed_task(other, llm.script(read_feed), user)
        assert record["errorCode"] == "credential_missing"
    assert api.get(path(user)).json()["credentials"] == before
    record = feed_task(api, llm.script(read_feed), user)
    assert record["status"] == "completed" and record["result"].startswith(NEWEST_POST)


def test_key_rotation_reseals_and_tasks_still_log_in(stack, api, llm, monkeypatch):
    user = end_user()
    assert put_cookie(api, user).status_code == 200
    old = (stack.state_dir / "secret.key").read_text().strip()
    new = vault.new_key()
    for current, previous in ((new, old), (old, new)):  # there and back: the running stack keeps the old key
        monkeypatch.setenv("STABLEBROWSE_SECRET_KEY", current)
        monkeypatch.setenv("STABLEBROWSE_SECRET_KEY_PREVIOUS", previous)
        counts = json.loads(stack.admin("vault", "rotate"))
        assert counts["resealed"] >= 1 and counts["unreadable"] == 0 and counts["current"] == 0
    assert json.loads(stack.admin("vault", "rotate"))["resealed"] == 0
    record = feed_task(api, llm.script(read_feed), user)
    assert record["status"] == "completed" and record["result"].startswith(NEWEST_POST)


async def test_no_secret_in_plaintext_in_mongodb_logs_or_kafka(stack, llm):
    """Runs after the tests above (same module): everything they stored, logged or sent."""
    assert llm.leaks == []  # every prompt of this module was checked by the scripted model
    import bson
    import pymongo
    from aiokafka import AIOKafkaConsumer, TopicPartition

    from services.common import kafka

    needles = [s.encode() for s in SECRETS]
    client = pymongo.MongoClient(stack.mongodb_uri)
    db = client["stablebrowse"]
    assert db["credentials"].count_documents({}) > 0
    for name in db.list_collection_names():
        for doc in db[name].find():
            raw = bson.encode(doc)
            assert not any(n in raw for n in needles), f"a secret in {name}"
    client.close()

    logs = [p for p in stack.state_dir.rglob("*.log")]
    assert logs
    for log in logs:
        raw = log.read_bytes()
        assert not any(n in raw for n in needles), f"a secret in {log.name}"

    consumer = AIOKafkaConsumer(bootstrap_servers=stack.kafka, enable_auto_commit=False)
    await consumer.start()
    try:
        seen = 0
        for topic in ("stablebrowse.task-dispatch", "stablebrowse.task-events"):
            partitions = [TopicPartition(topic, p) for p in range(kafka.PARTITIONS)]
            consumer.assign(partitions)
            await consumer.seek_to_beginning(*partitions)
            ends = await consumer.end_offsets(partitions)
            while [tp for tp in partitions if await consumer.position(tp) < ends[tp]]:
                for records in (await consumer.getmany(timeout_ms=1000)).values():
                    for record in records:
                        seen += 1
                        assert not any(n in (record.value or b"") for n in needles), f"a secret on {topic}"
        assert seen > 0
    finally:
        await consumer.stop()
