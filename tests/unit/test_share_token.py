"""Share-link tokens: signed for one task of one business, expiring by an injected clock."""
import base64

import pytest

from services.common.errors import InvalidArgument
from services.gateway.share_links import base_url, expires_in
from services.gateway.share_token import ExpiredToken, Grant, InvalidToken, ShareSigner
from stablebrowse.tasks.v1 import tasks_pb2

SECRET = "k" * 40
TASK = "0123456789abcdef0123456789abcdef"


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_a_signed_token_verifies_to_its_task_business_and_expiry():
    clock = Clock(1_800_000_000.5)
    signer = ShareSigner(SECRET, clock)
    token, expires_at = signer.sign(TASK, "biz_one", 3600)
    assert expires_at == 1_800_003_600
    assert signer.verify(token) == Grant(TASK, "biz_one", 1_800_003_600)


def test_a_token_is_expired_from_its_expiry_second_on():
    clock = Clock(1_800_000_000)
    signer = ShareSigner(SECRET, clock)
    token, _ = signer.sign(TASK, "biz_one", 60)
    clock.now = 1_800_000_059.9
    assert signer.verify(token).task_id == TASK
    clock.now = 1_800_000_060
    with pytest.raises(ExpiredToken):
        signer.verify(token)


def test_a_token_signed_with_another_secret_is_refused():
    token, _ = ShareSigner("o" * 40, Clock(1_800_000_000)).sign(TASK, "biz_one", 3600)
    with pytest.raises(InvalidToken) as refused:
        ShareSigner(SECRET, Clock(1_800_000_000)).verify(token)
    assert not isinstance(refused.value, ExpiredToken)


def payload_of(token: str) -> str:
    encoded = token.split(".")[0]
    return base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode()


def with_payload(token: str, payload: str) -> str:
    encoded = base64.urlsafe_b64encode(payload.encode()).rstrip(b"=").decode()
    return f"{encoded}.{token.split('.')[1]}"


@pytest.mark.parametrize("change", [
    lambda p: p.replace(TASK, "f" * 32),  # another task
    lambda p: p.replace("biz_one", "biz_two"),  # another business
    lambda p: p[:-4] + "9999",  # a later expiry
])
def test_a_token_whose_payload_was_changed_is_refused(change):
    signer = ShareSigner(SECRET, Clock(1_800_000_000))
    token, _ = signer.sign(TASK, "biz_one", 3600)
    altered = with_payload(token, change(payload_of(token)))
    assert payload_of(altered) != payload_of(token)
    with pytest.raises(InvalidToken):
        signer.verify(altered)


def test_a_token_for_one_task_never_verifies_as_another():
    signer = ShareSigner(SECRET, Clock(1_800_000_000))
    first, _ = signer.sign(TASK, "biz_one", 3600)
    second, _ = signer.sign("a" * 32, "biz_one", 3600)
    assert signer.verify(first).task_id == TASK and signer.verify(second).task_id == "a" * 32
    # The first token's payload with the second's signature: not a token for either.
    with pytest.raises(InvalidToken):
        signer.verify(f"{first.split('.')[0]}.{second.split('.')[1]}")


@pytest.mark.parametrize("token", ["", "abc", ".", "abc.", ".abc", "a.b.c", "!!!.???", "dGFzaw.c2ln"])
def test_malformed_tokens_are_refused(token):
    with pytest.raises(InvalidToken):
        ShareSigner(SECRET, Clock(1_800_000_000)).verify(token)


def test_only_the_exact_spelling_of_a_token_verifies():
    signer = ShareSigner(SECRET, Clock(1_800_000_000))
    token, _ = signer.sign(TASK, "biz_one", 3600)
    payload, signature = token.split(".")
    for variant in (f"{payload}=.{signature}", f"{payload}.{signature}==", f"{payload}.{signature[:-1]}",
                    f"{payload}.{signature}x"):
        with pytest.raises(InvalidToken):
            signer.verify(variant)


def test_a_short_secret_is_refused():
    with pytest.raises(ValueError):
        ShareSigner("short", Clock(0))


@pytest.mark.parametrize(("sent", "lifetime"), [(None, 86_400), (60, 60), (604_800, 604_800)])
def test_expires_in_seconds_defaults_to_a_day_and_accepts_its_bounds(sent, lifetime):
    request = tasks_pb2.ShareTaskRequest(task_id=TASK, expires_in_seconds=sent)
    assert expires_in(request) == lifetime


@pytest.mark.parametrize("sent", [59, 0, -5, 604_801])
def test_expires_in_seconds_out_of_range_names_the_field(sent):
    with pytest.raises(InvalidArgument) as refused:
        expires_in(tasks_pb2.ShareTaskRequest(task_id=TASK, expires_in_seconds=sent))
    assert str(refused.value).startswith("expiresInSeconds: ") and str(sent) in str(refused.value)


def test_links_start_with_the_public_url_else_the_callers_host():
    forwarded = (("x-forwarded-host", "viewer.example:8080"), ("x-forwarded-proto", "https"))
    assert base_url("https://api.example.com/", forwarded) == "https://api.example.com"
    assert base_url("", forwarded) == "https://viewer.example:8080"
    assert base_url("", (("x-forwarded-host", "127.0.0.1:9"),)) == "http://127.0.0.1:9"
    assert base_url("", (("x-forwarded-host", "evil.example/path?"),)) == ""
