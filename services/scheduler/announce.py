"""Outcomes the scheduler decides itself — a cancel, a timeout, a worker lost twice — go out on
the events topic like a worker's, so whatever follows outcomes there (the gateway's live
streams, webhook deliveries) learns of them too.

An outbox: the write that ends the task also marks it `needs_announce`; the mark is cleared
once the event is on Kafka, and every reaper pass sends what is still marked (Kafka was away,
the scheduler died in between). The projection applies none of these events: they are sent
after the task has ended, and it only applies outcomes to running tasks."""
import logging

from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError
from google.protobuf import timestamp_pb2

from services.common import ids, mongo
from stablebrowse.events.v1 import events_pb2

log = logging.getLogger(__name__)

SENDER = "scheduler"
MARK = "needs_announce"
_FIELDS = {"error": 1, "error_code": 1, "step_summaries": 1, "visited_urls": 1, "status": 1}


def outcome_event(doc: dict) -> events_pb2.TaskEvent:
    at = timestamp_pb2.Timestamp()
    at.FromDatetime(ids.now())
    failed = events_pb2.TaskFailed(error=doc.get("error") or "", error_code=doc.get("error_code") or "",
                                   total_steps=len(doc.get("step_summaries") or []),
                                   visited_urls=doc.get("visited_urls") or [])
    return events_pb2.TaskEvent(task_id=doc["_id"], worker_id=SENDER, at=at, failed=failed)


async def announce(db, producer: AIOKafkaProducer, topic: str, task_id: str) -> bool:
    """Sends the ended task's outcome if it is still marked; False when not sent now."""
    doc = await db[mongo.TASKS].find_one({"_id": task_id, MARK: True}, _FIELDS)
    if doc is None:
        return False
    try:
        await producer.send_and_wait(topic, outcome_event(doc).SerializeToString(), key=task_id.encode())
    except KafkaError as exc:
        log.warning("outcome not announced yet; the reaper retries", extra={"task_id": task_id,
                                                                            "error": type(exc).__name__})
        return False
    await db[mongo.TASKS].update_one({"_id": task_id}, {"$unset": {MARK: ""}})
    return True


async def announce_marked(db, producer: AIOKafkaProducer, topic: str, limit: int = 200) -> int:
    """One reaper pass over the outbox."""
    sent = 0
    async for doc in db[mongo.TASKS].find({MARK: True}, {"_id": 1}).limit(limit):
        sent += await announce(db, producer, topic, doc["_id"])
    return sent
