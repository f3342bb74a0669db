"""`tasks.stream`, `tasks.cancel` and `tasks.share`, for Client (TaskControl) and AsyncClient
(AsyncTaskControl); `Tasks` and `AsyncTasks` inherit them.

`stream(task_id)` follows GET /v1/tasks/{id}/events: it yields a StepEvent per step (the steps
already taken first), a StatusEvent per status change and, last, a DoneEvent with the whole
record. A dropped connection (or a stream that ends before `done`) is reopened with
Last-Event-ID, so no step is handed over twice or missed, waiting the server's `retry` or a
growing backoff, up to `max_reconnects` times in a row without progress (then
APIConnectionError). A read that waits more than `idle_timeout` seconds counts as a drop.
After `timeout` seconds (default: none; checked as data arrives, and the server sends a
keep-alive every 15 s) it raises TaskTimeoutError; the task keeps running."""
from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import quote

import httpx

from ._errors import TaskTimeoutError
from ._events import Share, TaskEvent, Watch, share_body
from ._models import Task
from ._sse import SSEParser

MAX_RECONNECTS = 5
IDLE_TIMEOUT = 45.0  # three keep-alive intervals


def task_path(task_id: str) -> str:
    if not task_id:
        raise ValueError("task_id must be non-empty")
    return f"/v1/tasks/{quote(task_id, safe='')}"


class TaskControl:
    """Watching and controlling one task with a Client."""

    _client: Any

    def cancel(self, task_id: str) -> Task:
        """POST /v1/tasks/{id}/cancel: a pending task never starts, a running one stops; either ends
        `failed` with error_code `cancelled`. A task that had ended comes back unchanged."""
        return Task.from_dict(self._client._send("POST", task_path(task_id) + "/cancel", json={}, repeatable=True))

    def share(self, task_id: str, *, expires_in_seconds: int | None = None) -> Share:
        """A link that shows the task live to whoever opens it, no API key needed; it expires after
        `expires_in_seconds` (server default 24 h, at most 7 days)."""
        path = task_path(task_id) + "/share"
        return Share.from_dict(self._client._send("POST", path, json=share_body(expires_in_seconds)))

    def stream(self, task_id: str, *, last_event_id: int | str | None = None, timeout: float | None = None,
               max_reconnects: int = MAX_RECONNECTS, idle_timeout: float = IDLE_TIMEOUT) -> Iterator[TaskEvent]:
        """The task's events as they happen, ending with its DoneEvent (see the module doc).
        `last_event_id` (a step number) starts after that step."""
        watch = Watch(task_id, last_event_id, timeout, max_reconnects, idle_timeout)
        url = self._client.base_url + task_path(task_id) + "/events"
        http: httpx.Client = self._client._http
        while True:
            why = "the stream ended before its done event"
            try:
                with http.stream("GET", url, headers=watch.headers(self._client._headers),
                                 timeout=watch.http_timeout(http.timeout)) as response:
                    if response.status_code != 200:
                        response.read()
                    if not watch.check(response):
                        why = f"HTTP {response.status_code}"
                    else:
                        parser = SSEParser(watch.last_event_id)
                        for chunk in response.iter_bytes():
                            yield from watch.take(parser.feed(chunk), parser.last_event_id, parser.retry_ms)
                            if watch.done:
                                return
                            if watch.expired():
                                break
            except httpx.TransportError as error:
                why = f"{type(error).__name__}: {error}"
            if watch.expired():
                raise TaskTimeoutError(watch.timed_out(), Task.from_dict(self._client._send("GET", task_path(task_id))))
            time.sleep(watch.next_wait(why))


class AsyncTaskControl:
    """The same with an AsyncClient: `async for event in client.tasks.stream(task_id)`."""

    _client: Any

    async def cancel(self, task_id: str) -> Task:
        path = task_path(task_id) + "/cancel"
        return Task.from_dict(await self._client._send("POST", path, json={}, repeatable=True))

    async def share(self, task_id: str, *, expires_in_seconds: int | None = None) -> Share:
        path = task_path(task_id) + "/share"
        return Share.from_dict(await self._client._send("POST", path, json=share_body(expires_in_seconds)))

    async def stream(self, task_id: str, *, last_event_id: int | str | None = None, timeout: float | None = None,
                     max_reconnects: int = MAX_RECONNECTS,
                     idle_timeout: float = IDLE_TIMEOUT) -> AsyncIterator[TaskEvent]:
        watch = Watch(task_id, last_event_id, timeout, max_reconnects, idle_timeout)
        url = self._client.base_url + task_path(task_id) + "/events"
        http: httpx.AsyncClient = self._client._http
        while True:
            why = "the stream ended before its done event"
            try:
                async with http.stream("GET", url, headers=watch.headers(self._client._headers),
                                       timeout=watch.http_timeout(http.timeout)) as response:
                    if response.status_code != 200:
                        await response.aread()
                    if not watch.check(response):
                        why = f"HTTP {response.status_code}"
                    else:
                        parser = SSEParser(watch.last_event_id)
                        async for chunk in response.aiter_bytes():
                            for event in watch.take(parser.feed(chunk), parser.last_event_id, parser.retry_ms):
                                yield event
                            if watch.done:
                                return
                            if watch.expired():
                                break
            except httpx.TransportError as error:
                why = f"{type(error).__name__}: {error}"
            if watch.expired():
                last = await self._client._send("GET", task_path(task_id))
                raise TaskTimeoutError(watch.timed_out(), Task.from_dict(last))
            await asyncio.sleep(watch.next_wait(why))
