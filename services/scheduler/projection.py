"""Projects worker events from Kafka into task documents (poison events: deadletter.py)."""
import datetime
import logging
import time

from aiokafka import AIOKafkaConsumer
from google.protobuf.message import DecodeError

from services.common import requestid
from services.scheduler import leases, tasks
from services.scheduler.deadletter import DeadLetters
from stablebrowse.events.v1 import events_pb2

log = logging.getLogger(__name__)


COMMIT_EVERY_S = 0.2


async def project_events(db, consumer: AIOKafkaConsumer, dead: DeadLetters, tick_gap_seconds: float) -> None:
    """Applies every event, and commits what was applied at most every 0.2 s (or when
    idle), so a commit round trip never sits between a task's events; a crash replays
    events, which apply idempotently."""
    pending, committed_at = False, time.monotonic()
    while True:
        batches = await consumer.getmany(timeout_ms=100 if pending else 500, max_records=200)
        for records in batches.values():
            for record in records:
                requestid.adopt_headers(record.headers)
                await _apply(db, record, dead, tick_gap_seconds)
        pending = pending or bool(batches)
        if pending and (not batches or time.monotonic() - committed_at >= COMMIT_EVERY_S):
            await consumer.commit()
            pending, committed_at = False, time.monotonic()


async def _apply(db, record, dead: DeadLetters, tick_gap_seconds: float) -> None:
    try:
        event = events_pb2.TaskEvent.FromString(record.value)
    except DecodeError:
        await dead.send(record, "undecodable task event", None)
        return
    kind = event.WhichOneof("kind")
    if kind == "tick":
        at = event.at.ToDatetime(tzinfo=datetime.UTC)
        await dead.apply(db, record, "", lambda: leases.record_tick(db, record.partition, at, tick_gap_seconds))
        return
    applied = await dead.apply(db, record, event.task_id, lambda: tasks.apply_event(db, event))
    if kind in ("completed", "failed"):
        # How long the outcome took from the worker to the task document (Kafka + MongoDB).
        lag_ms = time.time() * 1000 - event.at.ToMilliseconds()
        log.info("outcome projected", extra={"task_id": event.task_id, "applied": applied, "lag_ms": round(lag_ms, 1)})
    else:
        log.debug("event", extra={"task_id": event.task_id, "kind": kind, "applied": applied})
