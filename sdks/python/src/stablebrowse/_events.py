"""What `tasks.stream` yields (StepEvent, StatusEvent, DoneEvent), what `tasks.share` returns
(Share), and `Watch`: the bookkeeping of one stream across reconnections, shared by the sync
and async clients (which only differ in how they wait and read)."""
from __future__ import annotations

import dataclasses
import json
import random
import time
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import httpx

from ._errors import APIConnectionError, StablebrowseError, parse_retry_after, status_error
from ._models import StepSummary, Task, parse_time
from ._sse import ServerSentEvent

EVENT_STREAM = "text/event-stream"
RETRY_STATUSES = (429, 502, 503, 504)  # worth reconnecting after; any other error status is raised


@dataclasses.dataclass
class StepEvent:
    """A step the agent took. `at` is when the worker reported it (None for steps replayed to a
    late watcher); `id` is the SSE event id (the step number)."""

    step: StepSummary
    at: datetime | None = None
    id: str = ""


@dataclasses.dataclass
class StatusEvent:
    """The task's status changed (pending, running, completed, failed)."""

    task_id: str
    status: str


@dataclasses.dataclass
class DoneEvent:
    """The last event: the whole task record, completed or failed."""

    task: Task


TaskEvent = StepEvent | StatusEvent | DoneEvent


@dataclasses.dataclass
class Share:
    """A link that shows the task to anyone who has it, without an API key, until `expires_at`."""

    url: str = ""
    expires_at: datetime | None = None
    raw: dict = dataclasses.field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: Any) -> Share:
        data = data if isinstance(data, dict) else {}
        return cls(url=data.get("url", ""), expires_at=parse_time(data.get("expiresAt")), raw=dict(data))


def share_body(expires_in_seconds: int | None) -> dict:
    return {} if expires_in_seconds is None else {"expiresInSeconds": expires_in_seconds}


def _data(event: ServerSentEvent) -> dict:
    try:
        data = json.loads(event.data)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise StablebrowseError(f"event stream: the data of a {event.event!r} event is not a JSON object")
    return data


def typed(event: ServerSentEvent) -> TaskEvent | None:
    """The typed form of a server event; None for an event type this SDK does not know."""
    if event.event == "step":
        data = _data(event)
        return StepEvent(StepSummary.from_dict(data), parse_time(data.get("at")), event.id)
    if event.event == "status":
        data = _data(event)
        return StatusEvent(str(data.get("taskId", "")), str(data.get("status", "")))
    if event.event == "done":
        return DoneEvent(Task.from_dict(_data(event)))
    return None


class Watch:
    """One `tasks.stream`: the last event id (sent as Last-Event-ID when reconnecting), the last
    status (a reconnection repeats it: not passed on twice), the reconnections in a row that
    made no progress (at most `max_reconnects`), and the overall deadline, if any."""

    def __init__(self, task_id: str, last_event_id: int | str | None, timeout: float | None,
                 max_reconnects: int, idle_timeout: float):
        self.task_id = task_id
        self.last_event_id = "" if last_event_id is None else str(last_event_id)
        self.status = ""
        self.done = False
        self.max_reconnects = max_reconnects
        self.idle_timeout = idle_timeout
        self.failures = 0
        self.retry_ms: int | None = None
        self.deadline = None if timeout is None else time.monotonic() + timeout
        self.timeout = timeout

    def headers(self, base: dict[str, str]) -> dict[str, str]:
        headers = {**base, "Accept": EVENT_STREAM, "Cache-Control": "no-cache"}
        if self.last_event_id:
            headers["Last-Event-ID"] = self.last_event_id
        return headers

    def http_timeout(self, base: httpx.Timeout) -> httpx.Timeout:
        """The client's timeouts, but reads wait `idle_timeout` (the server sends a keep-alive
        comment every 15 s), and never past the deadline."""
        read = self.idle_timeout if self.deadline is None else max(0.01, min(self.idle_timeout, self.remaining()))
        return httpx.Timeout(connect=base.connect, read=read, write=base.write, pool=base.pool)

    def remaining(self) -> float:
        return float("inf") if self.deadline is None else self.deadline - time.monotonic()

    def expired(self) -> bool:
        return self.remaining() <= 0

    def check(self, response: httpx.Response) -> bool:
        """True to read the response as the stream; False to reconnect (429, 5xx from a proxy);
        any other refusal is raised as its typed error. Call after reading an error's body."""
        if response.status_code == 200:
            kind = response.headers.get("content-type", "")
            if not kind.startswith(EVENT_STREAM):
                raise StablebrowseError(f"GET /v1/tasks/{self.task_id}/events answered {kind or 'no content type'}, "
                                        f"not an event stream")
            return True
        if response.status_code in RETRY_STATUSES:
            retry_after = parse_retry_after(response.headers.get("retry-after"))
            if retry_after is not None:
                self.retry_ms = int(retry_after * 1000)
            return False
        body = _decode(response)
        raise status_error(response.status_code, body, dict(response.headers))

    def take(self, events: Iterable[ServerSentEvent], last_event_id: str, retry_ms: int | None) -> list[TaskEvent]:
        """The events to hand over, from what the parser just returned."""
        self.last_event_id = last_event_id
        if retry_ms is not None:
            self.retry_ms = retry_ms
        out: list[TaskEvent] = []
        for event in events:
            item = typed(event)
            if isinstance(item, StatusEvent):
                if item.status == self.status:
                    continue
                self.status = item.status
            if item is not None:
                self.failures = 0  # progress: the next drop starts a fresh run of reconnections
                out.append(item)
                self.done = self.done or isinstance(item, DoneEvent)
        return out

    def next_wait(self, why: str) -> float:
        """Seconds to wait before reconnecting; APIConnectionError once the reconnections run out."""
        self.failures += 1
        if self.failures > self.max_reconnects:
            raise APIConnectionError(f"event stream of task {self.task_id} lost {self.failures} times "
                                     f"in a row, last: {why}")
        base = self.retry_ms / 1000 if self.retry_ms is not None else min(8.0, 0.5 * 2 ** (self.failures - 1))
        return min(base * random.uniform(0.5, 1.0) if self.retry_ms is None else base, max(0.0, self.remaining()))

    def timed_out(self) -> str:
        return f"task {self.task_id} not done after {self.timeout:g}s of watching"


def _decode(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return response.text
