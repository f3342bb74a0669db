"""Webhooks through the Python SDK against the real stack, and verify_webhook on its own:
the Standard Webhooks example, tampering, staleness, and a real delivery from the stack."""
import base64
import json

import pytest

from stablebrowse import AsyncClient, Delivery, NotFoundError, Webhook, WebhookVerificationError, verify_webhook
from tests.scripted_llm import finish
from tests.sdk.conftest import HN, marked
from tests.webhook_receiver import Receiver

# The example of the Standard Webhooks specification.
EXAMPLE_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
EXAMPLE_BODY = b'{"test": 2432232314}'
EXAMPLE_HEADERS = {"webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek", "webhook-timestamp": "1614265330",
                   "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="}
EXAMPLE_NOW = 1614265330 + 10


@pytest.fixture
def receiver():
    hook = Receiver()
    yield hook
    hook.close()


def test_verify_accepts_the_specification_example():
    assert verify_webhook(EXAMPLE_BODY, EXAMPLE_HEADERS, EXAMPLE_SECRET, now=EXAMPLE_NOW) == {"test": 2432232314}
    upper = {k.upper(): v for k, v in EXAMPLE_HEADERS.items()}
    several = {**EXAMPLE_HEADERS, "webhook-signature": "v1,bm90LWl0 " + EXAMPLE_HEADERS["webhook-signature"]}
    for headers in (upper, several):
        assert verify_webhook(EXAMPLE_BODY.decode(), headers, EXAMPLE_SECRET, now=EXAMPLE_NOW)["test"] == 2432232314


@pytest.mark.parametrize("body, headers, secret, now, reason", [
    (b'{"test": 2432232315}', EXAMPLE_HEADERS, EXAMPLE_SECRET, EXAMPLE_NOW, "no matching signature"),
    (EXAMPLE_BODY, {**EXAMPLE_HEADERS, "webhook-id": "msg_other"}, EXAMPLE_SECRET, EXAMPLE_NOW, "no matching signature"),
    (EXAMPLE_BODY, {**EXAMPLE_HEADERS, "webhook-timestamp": "1614265331"}, EXAMPLE_SECRET, EXAMPLE_NOW,
     "no matching signature"),
    (EXAMPLE_BODY, EXAMPLE_HEADERS, "whsec_" + base64.b64encode(b"x" * 24).decode(), EXAMPLE_NOW, "no matching"),
    (EXAMPLE_BODY, EXAMPLE_HEADERS, EXAMPLE_SECRET, 1614265330 + 301, "too far from now"),
    (EXAMPLE_BODY, EXAMPLE_HEADERS, EXAMPLE_SECRET, 1614265330 - 301, "too far from now"),
    (EXAMPLE_BODY, {k: v for k, v in EXAMPLE_HEADERS.items() if k != "webhook-signature"}, EXAMPLE_SECRET,
     EXAMPLE_NOW, "missing webhook-signature"),
    (EXAMPLE_BODY, {**EXAMPLE_HEADERS, "webhook-signature": "v2," + EXAMPLE_HEADERS["webhook-signature"][3:]},
     EXAMPLE_SECRET, EXAMPLE_NOW, "no matching signature"),
])
def test_verify_refuses_tampering_staleness_and_missing_headers(body, headers, secret, now, reason):
    with pytest.raises(WebhookVerificationError, match=reason):
        verify_webhook(body, headers, secret, now=now)


def test_configure_receive_verify_and_list(client, llm, receiver):
    created = client.webhooks.put(receiver.url())
    assert isinstance(created, Webhook) and created.secret.startswith("whsec_")
    assert created.secret not in repr(created)
    assert client.webhooks.get().secret is None
    script = llm.script(finish("Hacker News"))
    task = client.tasks.run(marked("What is the title of this page?", script), end_user_id="alice", start_url=HN)
    headers, body = receiver.wait_for(1)[0]
    payload = verify_webhook(body, headers, created.secret)
    assert payload["type"] == "task.completed" and payload["data"]["taskId"] == task.task_id
    with pytest.raises(WebhookVerificationError):
        verify_webhook(body.replace(b"Hacker News", b"Hacker Newz"), headers, created.secret)
    (delivery,) = client.webhooks.deliveries(limit=10)
    assert isinstance(delivery, Delivery) and delivery.id == headers["webhook-id"] and delivery.task_id == task.task_id
    assert delivery.status in ("pending", "delivered")  # the 200 may not be recorded yet
    client.webhooks.delete()
    with pytest.raises(NotFoundError):
        client.webhooks.get()


async def test_async_client_configures_and_rotates(stack, business):
    async with AsyncClient(api_key=business["apiKey"], base_url=stack.base_url) as client:
        first = await client.webhooks.put("https://hooks.example.com/a", events=["task.failed"])
        assert first.events == ["task.failed"] and first.secret
        kept = await client.webhooks.put("https://hooks.example.com/b")
        assert kept.secret is None and kept.events == ["task.completed", "task.failed"]
        rotated = await client.webhooks.put("https://hooks.example.com/b", rotate_secret=True)
        assert rotated.secret and rotated.secret != first.secret
        assert (await client.webhooks.get()).url == "https://hooks.example.com/b"
        assert await client.webhooks.deliveries() == []
        await client.webhooks.delete()
        assert json.dumps(rotated.raw)  # the raw record is kept as received
