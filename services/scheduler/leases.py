"""How far the scheduler can hear: the event path's clock.

Heartbeats reach task documents through Kafka and the projection. While either (or
MongoDB) is down, silence means nothing, so the reaper judges leases only up to the
moment the event path is known to be current:

- every reaper pass sends a `tick` (stamped with the scheduler's clock) to every
  partition of the events topic;
- the projection records, per partition, the newest tick it applied. Events of one
  partition are applied in order, so `heard_until` = the oldest of those stamps is a
  time before which every event produced has been applied;
- a tick that follows the previous one on its partition by more than `gap` means
  the path was down (no ticks could be produced or consumed): `recovered_at` moves to
  that tick's stamp, and silence is counted from max(last heartbeat, recovered_at).
"""
import datetime
import logging

from aiokafka import AIOKafkaProducer

from services.common import mongo
from stablebrowse.events.v1 import events_pb2

log = logging.getLogger(__name__)

SCHEDULER_STATE = "scheduler_state"
EVENT_PATH_ID = "event_path"


async def send_ticks(producer: AIOKafkaProducer, topic: str, sender: str) -> None:
    """One tick to each partition of the events topic (raises KafkaError while Kafka is down)."""
    event = events_pb2.TaskEvent(worker_id=sender, tick=events_pb2.Tick())
    event.at.GetCurrentTime()
    raw = event.SerializeToString()
    for partition in sorted(await producer.partitions_for(topic)):
        await producer.send_and_wait(topic, raw, partition=partition)


async def record_tick(db, partition: int, at: datetime.datetime, gap_seconds: float) -> None:
    """The projection applied a tick from `partition` stamped `at`."""
    state = mongo.durable(db, SCHEDULER_STATE)
    field = f"partitions.p{partition}"
    # No projection: FerretDB refuses findAndModify with one (the document is small anyway).
    before = await state.find_one_and_update({"_id": EVENT_PATH_ID}, {"$max": {field: at}}, upsert=True)
    previous = ((before or {}).get("partitions") or {}).get(f"p{partition}")
    if previous is None or previous < at - datetime.timedelta(seconds=gap_seconds):
        await state.update_one({"_id": EVENT_PATH_ID}, {"$max": {"recovered_at": at}})
        if previous is not None:
            log.warning("event path recovered", extra={"partition": partition, "silent_s": (at - previous).total_seconds()})


async def hearing(db, partitions: int) -> tuple[datetime.datetime | None, datetime.datetime | None]:
    """(heard_until, recovered_at); heard_until is None until every partition has a tick."""
    doc = await db[SCHEDULER_STATE].find_one({"_id": EVENT_PATH_ID}) or {}
    stamps = list((doc.get("partitions") or {}).values())
    if len(stamps) < partitions:
        return None, doc.get("recovered_at")
    return min(stamps), doc.get("recovered_at")
