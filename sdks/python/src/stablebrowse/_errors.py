"""Errors the SDK raises. A task that ends `failed` is not an error: run() returns it."""
from __future__ import annotations

from typing import Any


class StablebrowseError(Exception):
    """Base class of every error raised by this package."""


class APIConnectionError(StablebrowseError):
    """The API could not be reached (refused, reset, DNS, TLS) or did not answer in time."""


class APITimeoutError(APIConnectionError):
    """A request timed out."""


class APIStatusError(StablebrowseError):
    """The API answered with an error status. `body` is the decoded JSON error, if any."""

    def __init__(self, message: str, *, status_code: int, body: Any = None, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.body = body
        self.headers = headers or {}


class BadRequestError(APIStatusError):
    """400: the message names the field and the reason."""


class AuthenticationError(APIStatusError):
    """401: missing, malformed or unknown API key."""


class PermissionDeniedError(APIStatusError):
    """403: revoked key, or a session that belongs to another business or end user."""


class NotFoundError(APIStatusError):
    """404: no such task for this business."""


class ConflictError(APIStatusError):
    """409: the Idempotency-Key was used for a different request, or its first request is still in progress."""


class RateLimitError(APIStatusError):
    """429: a quota refused the request. `retry_after` is in seconds (None if not given)."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any):
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class TaskTimeoutError(StablebrowseError):
    """run() gave up waiting; the task keeps running on the server. `task` is the last record seen."""

    def __init__(self, message: str, task: Any):
        super().__init__(message)
        self.task = task


class TaskFailedError(StablebrowseError):
    """Raised by run(raise_on_failure=True) for a task that ended `failed`."""

    def __init__(self, task: Any):
        super().__init__(f"task {task.task_id} failed ({task.error_code}): {task.error}")
        self.task = task


_BY_STATUS = {400: BadRequestError, 401: AuthenticationError, 403: PermissionDeniedError, 404: NotFoundError, 409: ConflictError}


def parse_retry_after(value: str | None) -> float | None:
    """Retry-After in seconds; the HTTP-date form is not used by this API and reads as None."""
    try:
        seconds = float(value) if value is not None else None
    except ValueError:
        return None
    return seconds if seconds is not None and seconds >= 0 else None


def status_error(status_code: int, body: Any, headers: dict[str, str]) -> APIStatusError:
    """The typed error for an error response."""
    message = body.get("message") if isinstance(body, dict) else None
    text = f"HTTP {status_code}: {message or body or 'no message'}"
    if status_code == 429:
        retry_after = parse_retry_after(headers.get("retry-after"))
        return RateLimitError(text, status_code=status_code, body=body, headers=headers, retry_after=retry_after)
    cls = _BY_STATUS.get(status_code, APIStatusError)
    return cls(text, status_code=status_code, body=body, headers=headers)
