"""Projects worker events from Kafka into task documents, and reaps silent tasks."""
import asyncio
import datetime
import logging
import time

from aiokafka import AIOKafkaConsumer
from google.protobuf.message import DecodeError
from stablebrowse.events.v1 import events_pb2

from services.common import ids, requestid
from services.scheduler import tasks

log = logging.getLogger(__name__)


COMMIT_EVERY_S = 0.2


async def project_events(db, consumer: AIOKafkaConsumer) -> None:
    """Applies every event, and commits what was applied at most every 0.2 s (or when
    idle), so a commit round trip never sits between a task's events; a crash replays
    events, which apply idempotently."""
    pending, committed_at = False, time.monotonic()
    while True:
        batches = await consumer.getmany(timeout_ms=100 if pending else 500, max_records=200)
        for records in batches.values():
            for record in records:
                requestid.adopt_headers(record.headers)
                await _apply(db, record.value)
        pending = pending or bool(batches)
        if pending and (not batches or time.monotonic() - committed_at >= COMMIT_EVERY_S):
            await consumer.commit()
            pending, committed_at = False, time.monotonic()


async def _apply(db, raw: bytes) -> None:
    try:
        event = events_pb2.TaskEvent.FromString(raw)
    except DecodeError:
        log.error("undecodable task event skipped")
        return
    while True:
        try:
            applied = await tasks.apply_event(db, event)
            break
        except Exception:
            log.exception("projecting event failed, retrying", extra={"task_id": event.task_id})
            await asyncio.sleep(1.0)
    kind = event.WhichOneof("kind")
    if kind in ("completed", "failed"):
        # How long the outcome took from the worker to the task document (Kafka + MongoDB).
        lag_ms = time.time() * 1000 - event.at.ToMilliseconds()
        log.info("outcome projected", extra={"task_id": event.task_id, "applied": applied, "lag_ms": round(lag_ms, 1)})
    else:
        log.debug("event", extra={"task_id": event.task_id, "kind": kind, "applied": applied})


async def reap_forever(db, redispatch, silence_seconds: float, pending_seconds: float, interval_seconds: float) -> None:
    while True:
        await asyncio.sleep(interval_seconds)
        try:
            now = ids.now()
            reaped = await tasks.reap(
                db,
                silent_since=now - datetime.timedelta(seconds=silence_seconds),
                stale_pending_since=now - datetime.timedelta(seconds=pending_seconds),
                redispatch=redispatch,
            )
            if reaped:
                log.warning("reaped tasks (rerun or failed)", extra={"count": reaped})
        except Exception:
            log.exception("reaper pass failed")
