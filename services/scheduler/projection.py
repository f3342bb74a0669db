"""Projects worker events from Kafka into task documents, and reaps silent tasks."""
import asyncio
import datetime
import logging

from aiokafka import AIOKafkaConsumer
from google.protobuf.message import DecodeError
from stablebrowse.events.v1 import events_pb2

from services.common import ids
from services.scheduler import tasks

log = logging.getLogger(__name__)


async def project_events(db, consumer: AIOKafkaConsumer) -> None:
    """Applies every event, then commits; a crash replays events, which apply idempotently."""
    while True:
        batches = await consumer.getmany(timeout_ms=500, max_records=200)
        for records in batches.values():
            for record in records:
                await _apply(db, record.value)
        if batches:
            await consumer.commit()


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
    log.debug("event", extra={"task_id": event.task_id, "kind": event.WhichOneof("kind"), "applied": applied})


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
