"""GET /v1/tasks/{taskId}/events: a task as Server-Sent Events.

Envoy transcodes the stream of google.api.HttpBody chunks as they are, so each chunk is one
SSE event: `step` (id = step number, so a reconnecting client's Last-Event-ID skips what it
has), `status` on each change, and a final `done` whose data is the whole record, after which
the stream ends. A client that connects late first gets the steps already taken. While
nothing happens a keep-alive comment goes out, and the record is read again then (one read
per watcher per keep-alive interval), so an event the reader missed still arrives."""
import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator

from google.api import httpbody_pb2
from google.protobuf import json_format

from services.gateway.event_hub import EventHub
from stablebrowse.events.v1 import events_pb2
from stablebrowse.scheduler.v1 import scheduler_pb2
from stablebrowse.tasks.v1 import tasks_pb2

log = logging.getLogger(__name__)

CONTENT_TYPE = "text/event-stream"
TERMINAL = ("completed", "failed")
FINAL_RECORD_WAIT_S = 10.0


def sse(event: str, data: dict, event_id: int | None = None) -> httpbody_pb2.HttpBody:
    head = f"id: {event_id}\n" if event_id is not None else ""
    body = f"{head}event: {event}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n"
    return httpbody_pb2.HttpBody(content_type=CONTENT_TYPE, data=body.encode())


def comment(text: str) -> httpbody_pb2.HttpBody:
    return httpbody_pb2.HttpBody(content_type=CONTENT_TYPE, data=f": {text}\n\n".encode())


def as_json(message) -> dict:
    return json_format.MessageToDict(message)


def last_event_id(metadata) -> int:
    value = dict(metadata or ()).get("last-event-id", "").strip()
    return int(value) if value.isdigit() else 0


class TaskStream:
    """One watcher's stream: remembers what it has sent, so nothing goes out twice."""

    def __init__(self, hub: EventHub, scheduler, business_id: str, task_id: str, after: int,
                 keepalive_s: float, timeout_s: float):
        self.hub, self.scheduler = hub, scheduler
        self.business_id, self.task_id = business_id, task_id
        self.sent_step = after
        self.status = ""
        self.keepalive_s, self.timeout_s = keepalive_s, timeout_s

    async def record(self) -> tasks_pb2.Task:
        return await self.scheduler.GetTask(
            scheduler_pb2.GetTaskRequest(business_id=self.business_id, task_id=self.task_id), timeout=self.timeout_s)

    async def events(self) -> AsyncIterator[httpbody_pb2.HttpBody]:
        with self.hub.watch(self.task_id) as queue:  # watching before reading: nothing falls in between
            record = await self.record()  # 404 for a task that is not the caller's
            for chunk in self.catch_up(record):
                yield chunk
            while record.status not in TERMINAL:
                try:
                    event = await asyncio.wait_for(queue.get(), self.keepalive_s)
                except TimeoutError:
                    yield comment("keep-alive")
                    record = await self.record()
                    for chunk in self.catch_up(record):
                        yield chunk
                    continue
                for chunk in self.live(event):
                    yield chunk
                if event.WhichOneof("kind") in TERMINAL:
                    record = await self.final_record()
                    for chunk in self.catch_up(record):
                        yield chunk
                    break
            yield sse("done", as_json(record))

    def catch_up(self, record: tasks_pb2.Task):
        """What the record shows that this watcher has not been sent."""
        for step in record.step_summaries:
            if step.n > self.sent_step:
                yield from self.step(step, None)
        yield from self.status_change(record.status)

    def live(self, event: events_pb2.TaskEvent):
        kind = event.WhichOneof("kind")
        at = event.at.ToJsonString()
        if kind == "step":
            yield from self.status_change("running")
            yield from self.step(event.step, at)
        elif kind in TERMINAL:
            for step in getattr(event, kind).steps if kind == "completed" else ():
                yield from self.step(step, at)

    def step(self, step: tasks_pb2.StepSummary, at: str | None):
        if step.n <= self.sent_step:
            return
        self.sent_step = step.n
        data = as_json(step)
        data.setdefault("success", False)
        if at is not None:  # a live step of a worker that did not time it: the event's time
            data.setdefault("at", at)
        yield sse("step", data, step.n)

    def status_change(self, status: str):
        if status and status != self.status and self.status not in TERMINAL:
            self.status = status
            yield sse("status", {"taskId": self.task_id, "status": status})

    async def final_record(self) -> tasks_pb2.Task:
        """The record once the projection has applied the outcome (a few ms after the event)."""
        deadline, delay = time.monotonic() + FINAL_RECORD_WAIT_S, 0.01
        while True:
            record = await self.record()
            if record.status in TERMINAL or time.monotonic() >= deadline:
                return record
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.5)
