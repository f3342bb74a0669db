"""Share-link tokens: one task of one business, until an expiry, signed by the deployment.

A token is `<payload>.<signature>`, both unpadded base64url: the payload is
"<task id>\\n<business id>\\n<expiry, unix seconds>", the signature HMAC-SHA256 of it (with a
domain prefix) under STABLEBROWSE_SHARE_SECRET. Nothing is stored: the token is the grant.
The secret is never logged; neither is a token (it is a credential for its task)."""
import base64
import binascii
import dataclasses
import hashlib
import hmac
import time
from collections.abc import Callable

MIN_SECRET_LENGTH = 32
DOMAIN = b"stablebrowse share link v1\n"


class InvalidToken(Exception):
    """Malformed, altered, or signed with another secret."""


class ExpiredToken(InvalidToken):
    """Signed by us, but past its expiry."""


@dataclasses.dataclass(frozen=True)
class Grant:
    """What a valid token allows: reading this task of this business."""

    task_id: str
    business_id: str
    expires_at: int  # unix seconds


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    """Strict: only the one spelling _b64 makes decodes (no ignored characters or spare bits)."""
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if _b64(data) != text:
        raise ValueError("not canonical base64url")
    return data


class ShareSigner:
    """Signs and verifies tokens; `clock` (unix seconds) is injectable for tests."""

    def __init__(self, secret: str, clock: Callable[[], float] = time.time) -> None:
        if len(secret) < MIN_SECRET_LENGTH:
            raise ValueError(f"share secret: at least {MIN_SECRET_LENGTH} characters")
        self._key = secret.encode()
        self._clock = clock

    def _signature(self, payload: bytes) -> bytes:
        return hmac.new(self._key, DOMAIN + payload, hashlib.sha256).digest()

    def sign(self, task_id: str, business_id: str, expires_in_s: int) -> tuple[str, int]:
        """A token for the task and its expiry (unix seconds)."""
        if not task_id or not business_id or "\n" in task_id + business_id:
            raise ValueError("task and business ids: non-empty, one line each")
        expires_at = int(self._clock()) + expires_in_s
        payload = f"{task_id}\n{business_id}\n{expires_at}".encode()
        return f"{_b64(payload)}.{_b64(self._signature(payload))}", expires_at

    def verify(self, token: str) -> Grant:
        """The grant of a token signed here and not expired; else InvalidToken / ExpiredToken."""
        encoded, dot, signature = token.partition(".")
        if not dot or not encoded or not signature:
            raise InvalidToken("not a share token")
        try:
            payload, presented = _unb64(encoded), _unb64(signature)
        except (binascii.Error, ValueError):
            raise InvalidToken("not a share token") from None
        if not hmac.compare_digest(presented, self._signature(payload)):
            raise InvalidToken("signature does not match")
        task_id, business_id, expiry = payload.decode().split("\n")  # we signed it: well-formed
        grant = Grant(task_id, business_id, int(expiry))
        if self._clock() >= grant.expires_at:
            raise ExpiredToken("expired")
        return grant
