"""Which failures are retried, and how long to wait: bounded attempts, exponential backoff
with jitter, and the server's Retry-After when it gives one.

Every POST /v1/tasks carries an Idempotency-Key that its retries reuse, so it is resent like
GET, PUT and DELETE: the server answers a repeat with the task the first attempt created."""
from __future__ import annotations

import dataclasses
import logging
import random
from collections.abc import Callable

import httpx

from ._errors import parse_retry_after

log = logging.getLogger("stablebrowse")

RETRY_STATUSES = (429, 503)
IN_PROGRESS = 409  # retried only with Retry-After: an earlier attempt with the same key is still running
IDEMPOTENT = ("GET", "PUT", "DELETE")


@dataclasses.dataclass
class RetryEvent:
    """Passed to `on_retry` before each wait: the attempt that failed (1-based) and why."""

    method: str
    path: str
    attempt: int
    wait: float
    status_code: int | None = None
    error: BaseException | None = None


OnRetry = Callable[[RetryEvent], None]


@dataclasses.dataclass
class RetryPolicy:
    max_retries: int = 2
    backoff: float = 0.5  # first wait without Retry-After; doubles each attempt
    max_backoff: float = 8.0
    max_retry_after: float = 60.0  # a longer Retry-After is not waited for: the error is raised

    def wait_for_status(self, attempt: int, response: httpx.Response) -> float | None:
        """Seconds to wait before retrying this response, or None to give up."""
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        in_progress = response.status_code == IN_PROGRESS and retry_after is not None
        if (response.status_code not in RETRY_STATUSES and not in_progress) or attempt > self.max_retries:
            return None
        if retry_after is None:
            return self._backoff(attempt)
        return retry_after if retry_after <= self.max_retry_after else None

    def wait_for_error(self, attempt: int, repeatable: bool, error: httpx.TransportError) -> float | None:
        """Connection errors: a repeatable request (GET, PUT, DELETE, a POST with an Idempotency-Key)
        is always safe to resend; any other only when it never reached the server."""
        if attempt > self.max_retries:
            return None
        if not repeatable and not isinstance(error, (httpx.ConnectError, httpx.ConnectTimeout)):
            return None
        return self._backoff(attempt)

    def _backoff(self, attempt: int) -> float:
        base = min(self.max_backoff, self.backoff * 2 ** (attempt - 1))
        return base * random.uniform(0.5, 1.0)


def report(event: RetryEvent, on_retry: OnRetry | None) -> None:
    why = f"HTTP {event.status_code}" if event.status_code else type(event.error).__name__
    log.info("stablebrowse: %s %s failed (%s), retry %d in %.1fs", event.method, event.path, why, event.attempt, event.wait)
    if on_retry is not None:
        on_retry(event)
