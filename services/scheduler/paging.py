"""Opaque cursors for task lists: the position after which the next page starts."""
import base64
import datetime
import json

from services.common.errors import InvalidArgument


def encode(created_at: datetime.datetime, task_id: str) -> str:
    raw = json.dumps([int(created_at.timestamp() * 1000), task_id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(token: str) -> tuple[datetime.datetime, str]:
    try:
        millis, task_id = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        created = datetime.datetime.fromtimestamp(int(millis) / 1000, datetime.UTC)
        if not isinstance(task_id, str):
            raise ValueError
    except (ValueError, TypeError, UnicodeDecodeError, OverflowError):
        raise InvalidArgument("pageToken: not a token this service issued") from None
    return created, task_id
