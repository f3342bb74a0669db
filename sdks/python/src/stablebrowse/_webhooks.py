"""`client.webhooks` (the business's signed webhook: put, get, delete, deliveries) and
`verify_webhook`, which checks a received request the Standard Webhooks way."""
from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
import json
import time
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from ._errors import StablebrowseError
from ._models import _from, _same, parse_time

SECRET_PREFIX = "whsec_"
DEFAULT_TOLERANCE = 300  # seconds a webhook-timestamp may be away from now


class WebhookVerificationError(StablebrowseError):
    """A received webhook is not genuine: missing headers, bad signature or stale timestamp."""


@dataclasses.dataclass
class Webhook:
    """The business's webhook. `secret` ("whsec_…") is set only by the put that made it."""

    url: str = ""
    events: list[str] = dataclasses.field(default_factory=list)
    secret: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    raw: dict = dataclasses.field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: Any) -> Webhook:
        return _from(cls, data, {"url": ("url", _same), "events": ("events", list), "secret": ("secret", _same),
                                 "created_at": ("createdAt", parse_time), "updated_at": ("updatedAt", parse_time)})

    def __repr__(self) -> str:  # never print the secret
        return f"Webhook(url={self.url!r}, events={self.events!r}, secret={'***' if self.secret else None})"


@dataclasses.dataclass
class DeliveryAttempt:
    """One try: the receiver's `status_code`, or `error` when no answer came."""

    at: datetime | None = None
    status_code: int | None = None
    error: str = ""
    duration_ms: int = 0
    raw: dict = dataclasses.field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: Any) -> DeliveryAttempt:
        return _from(cls, data, {"at": ("at", parse_time), "status_code": ("statusCode", int), "error": ("error", _same),
                                 "duration_ms": ("durationMs", int)})


@dataclasses.dataclass
class Delivery:
    """One event's delivery: `id` is its webhook-id; `status` pending, delivered, failed or canceled."""

    id: str = ""
    type: str = ""
    task_id: str = ""
    status: str = ""
    attempts: list[DeliveryAttempt] = dataclasses.field(default_factory=list)
    next_attempt_at: datetime | None = None
    created_at: datetime | None = None
    raw: dict = dataclasses.field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: Any) -> Delivery:
        return _from(cls, data, {
            "id": ("id", _same), "type": ("type", _same), "task_id": ("taskId", _same), "status": ("status", _same),
            "attempts": ("attempts", lambda items: [DeliveryAttempt.from_dict(a) for a in items]),
            "next_attempt_at": ("nextAttemptAt", parse_time), "created_at": ("createdAt", parse_time)})


def _put_body(url: str, events: Sequence[str] | None, rotate_secret: bool) -> dict:
    body: dict[str, Any] = {"url": url}
    if events is not None:
        body["events"] = list(events)
    if rotate_secret:
        body["rotateSecret"] = True
    return body


def _deliveries(data: Any) -> list[Delivery]:
    items = data.get("deliveries") if isinstance(data, dict) else None  # absent when empty (proto3 JSON)
    return [Delivery.from_dict(d) for d in items or []]


def _limit_params(limit: int | None) -> dict:
    return {} if limit is None else {"limit": limit}


class Webhooks:
    """`client.webhooks`: one webhook per business, called when a task completes or fails."""

    def __init__(self, client: Any):
        self._client = client

    def put(self, url: str, *, events: Sequence[str] | None = None, rotate_secret: bool = False) -> Webhook:
        """Creates or replaces the webhook. The returned `secret` is set on creation and with
        `rotate_secret=True` only: keep it, it is never shown again."""
        return Webhook.from_dict(self._client._send("PUT", "/v1/webhook", json=_put_body(url, events, rotate_secret)))

    def get(self) -> Webhook:
        """The configuration (no secret); NotFoundError when none is configured."""
        return Webhook.from_dict(self._client._send("GET", "/v1/webhook"))

    def delete(self) -> None:
        self._client._send("DELETE", "/v1/webhook", gone_is_done=True)

    def deliveries(self, *, limit: int | None = None) -> list[Delivery]:
        """Recent deliveries, newest first, with every attempt's status code."""
        return _deliveries(self._client._send("GET", "/v1/webhook/deliveries", params=_limit_params(limit)))


class AsyncWebhooks:
    """`client.webhooks` of an AsyncClient."""

    def __init__(self, client: Any):
        self._client = client

    async def put(self, url: str, *, events: Sequence[str] | None = None, rotate_secret: bool = False) -> Webhook:
        body = _put_body(url, events, rotate_secret)
        return Webhook.from_dict(await self._client._send("PUT", "/v1/webhook", json=body))

    async def get(self) -> Webhook:
        return Webhook.from_dict(await self._client._send("GET", "/v1/webhook"))

    async def delete(self) -> None:
        await self._client._send("DELETE", "/v1/webhook", gone_is_done=True)

    async def deliveries(self, *, limit: int | None = None) -> list[Delivery]:
        return _deliveries(await self._client._send("GET", "/v1/webhook/deliveries", params=_limit_params(limit)))


def _header(headers: Mapping[str, str], name: str) -> str:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    raise WebhookVerificationError(f"missing {name} header")


def verify_webhook(body: bytes | str, headers: Mapping[str, str], secret: str, *,
                   tolerance: float = DEFAULT_TOLERANCE, now: float | None = None) -> dict:
    """The parsed payload ({type, timestamp, data}) of a genuine webhook, else WebhookVerificationError.

    `body` must be the raw request body, byte for byte; `headers` any mapping (names in any
    case). A timestamp more than `tolerance` seconds from `now` (default: the clock) is refused."""
    raw = body.encode() if isinstance(body, str) else bytes(body)
    message_id, timestamp = _header(headers, "webhook-id"), _header(headers, "webhook-timestamp")
    key = _b64(secret.removeprefix(SECRET_PREFIX))
    if not key:
        raise WebhookVerificationError("malformed secret: expected whsec_ and base64")
    try:
        sent_at = int(timestamp)
    except ValueError:
        raise WebhookVerificationError("malformed webhook-timestamp header") from None
    if abs((time.time() if now is None else now) - sent_at) > tolerance:
        raise WebhookVerificationError("webhook-timestamp too far from now (stale or replayed)")
    expected = hmac.new(key, f"{message_id}.{timestamp}.".encode() + raw, hashlib.sha256).digest()
    for signature in _header(headers, "webhook-signature").split():
        version, _, value = signature.partition(",")
        if version == "v1" and hmac.compare_digest(_b64(value), expected):
            return json.loads(raw)
    raise WebhookVerificationError("no matching signature")


def _b64(value: str) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except ValueError:
        return b""
