"""Validation of webhook requests: every error names the field and the reason."""
import urllib.parse

from services.common.errors import InvalidArgument
from services.common.webhooks import EVENT_TYPES
from stablebrowse.webhooks.v1 import webhooks_pb2

MAX_URL = 2048
MAX_DELIVERIES = 100
DEFAULT_DELIVERIES = 50


def validate_url(url: str) -> str:
    if not url.strip():
        raise InvalidArgument("url: required")
    if len(url) > MAX_URL:
        raise InvalidArgument(f"url: must be at most {MAX_URL} characters")
    if any(ord(c) <= 0x20 or ord(c) == 0x7F for c in url):
        raise InvalidArgument("url: must not contain spaces or control characters")
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        raise InvalidArgument("url: not a valid URL") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidArgument("url: must be an absolute http or https URL")
    if parts.username is not None or parts.password is not None:
        raise InvalidArgument("url: must not contain a user name or password")
    return url


def validate_events(events) -> list[str]:
    """The events asked for, in canonical order; none means all."""
    for i, event in enumerate(events):
        if event not in EVENT_TYPES:
            raise InvalidArgument(f"events[{i}]: must be one of {', '.join(EVENT_TYPES)}")
    return [e for e in EVENT_TYPES if e in events] if events else list(EVENT_TYPES)


def validate_put(request: webhooks_pb2.PutWebhookRequest) -> tuple[str, list[str]]:
    return validate_url(request.url), validate_events(request.events)


def validate_limit(limit: int) -> int:
    if limit < 0 or limit > MAX_DELIVERIES:
        raise InvalidArgument(f"limit: must be between 1 and {MAX_DELIVERIES}")
    return limit or DEFAULT_DELIVERIES
