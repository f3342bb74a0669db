"""Pure parts of webhooks: the signature (against the Standard Webhooks example), the
public-address rule, the retry schedule and the default settings."""
import asyncio
import datetime
import ipaddress

import pytest

from services.common import vault, webhooks
from services.webhooks import egress, queue
from services.webhooks.sender import Attempt
from services.webhooks.settings import DEFAULT_RETRY_DELAYS, WebhookSettings

NOW = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


def test_signature_matches_the_standard_webhooks_example():
    # The example from the Standard Webhooks specification (and Svix's documentation).
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    signed = webhooks.signature(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, b'{"test": 2432232314}')
    assert signed == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_sealed_secret_opens_only_for_its_business():
    sealer = vault.Vault(vault.new_key())
    secret = webhooks.new_secret()
    doc = {"_id": "biz_a", **webhooks.seal_secret(sealer, "biz_a", secret)}
    assert webhooks.open_secret(sealer, doc) == secret
    assert secret.encode() not in bytes(doc["ciphertext"])
    with pytest.raises(vault.VaultError):
        webhooks.open_secret(sealer, {**doc, "_id": "biz_b"})


@pytest.mark.parametrize("address", [
    "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0",
    "224.0.0.1", "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1",
    "2002:7f00:1::", "2002:a9fe:a9fe::1", "64:ff9b::a9fe:a9fe", "64:ff9b::7f00:1",
])
def test_private_loopback_link_local_and_wrapped_addresses_are_refused(address):
    assert not egress.is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:4700::1111", "::ffff:93.184.216.34", "64:ff9b::5db8:d822",
                                     "2002:5db8:d822::1"])
def test_global_addresses_are_allowed_also_when_wrapped(address):
    assert egress.is_public(ipaddress.ip_address(address))


def test_resolving_refuses_a_host_with_a_private_address():
    with pytest.raises(egress.Refused, match="blocked_address: localhost"):
        asyncio.run(egress.resolve_public("localhost", 80))
    assert str(asyncio.run(egress.resolve_public("93.184.216.34", 443))) == "93.184.216.34"


def test_retries_follow_the_delays_then_fail():
    delays = [5, 30]
    refused = Attempt(None, "timeout", 10)
    assert queue.outcome(1, refused, delays, NOW) == {"status": "pending", "next_at": NOW + datetime.timedelta(seconds=5)}
    assert queue.outcome(2, Attempt(500, "", 3), delays, NOW)["next_at"] == NOW + datetime.timedelta(seconds=30)
    assert queue.outcome(3, refused, delays, NOW) == {"status": "failed"}
    assert queue.outcome(2, Attempt(204, "", 3), delays, NOW) == {"status": "delivered"}
    assert queue.outcome(1, Attempt(302, "", 3), delays, NOW)["status"] == "pending"


def test_default_schedule_is_bounded_to_a_day():
    # The default itself: the test stack sets short delays in the environment.
    delays = WebhookSettings(webhook_retry_delays=DEFAULT_RETRY_DELAYS).webhook_retry_delays
    assert len(delays) + 1 <= 12
    assert 20 * 3600 < sum(delays) <= 24 * 3600
    assert delays == sorted(delays)
