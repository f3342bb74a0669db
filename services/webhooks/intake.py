"""Terminal task events from Kafka become queued deliveries.

The event says only which task ended; the record sent is the one the projection wrote, asked
of the scheduler (which owns `tasks`: TaskOutcomes.GetOutcome), so this waits (briefly) until
the scheduler says the task is terminal. A task that ended before
its business configured the webhook, or whose event type the webhook does not ask for,
is not queued."""
import asyncio
import datetime
import logging
import time
from collections.abc import Callable

from aiokafka import AIOKafkaConsumer
from google.protobuf import json_format
from google.protobuf.message import DecodeError

from services.common import ids
from services.common.webhooks import WEBHOOKS
from services.webhooks import queue
from stablebrowse.events.v1 import events_pb2
from stablebrowse.scheduler.v1 import outcomes_pb2, outcomes_pb2_grpc

log = logging.getLogger(__name__)

TERMINAL = ("completed", "failed")


def outcome_task_ids(records) -> list[str]:
    """Task ids of the completed/failed events among Kafka records, each once."""
    task_ids = []
    for record in records:
        try:
            event = events_pb2.TaskEvent.FromString(record.value)
        except DecodeError:
            log.error("undecodable task event skipped")
            continue
        if event.WhichOneof("kind") in TERMINAL:
            task_ids.append(event.task_id)
    return list(dict.fromkeys(task_ids))


class Intake:
    def __init__(self, db, outcomes: outcomes_pb2_grpc.TaskOutcomesStub, settle_seconds: float,
                 on_queued: Callable[[], None], timeout: float = 10.0):
        self.db = db
        self.outcomes = outcomes
        self.settle_seconds = settle_seconds
        self.on_queued = on_queued
        self.timeout = timeout

    async def consume(self, consumer: AIOKafkaConsumer) -> None:
        """Queues every outcome, then commits: a crash replays events, which queue nothing twice."""
        while True:
            batches = await consumer.getmany(timeout_ms=500, max_records=200)
            task_ids = outcome_task_ids(r for records in batches.values() for r in records)
            await asyncio.gather(*(self.handle(task_id) for task_id in task_ids))
            if batches:
                await consumer.commit()

    async def handle(self, task_id: str) -> None:
        while True:
            try:
                await self.take(task_id)
                return
            except Exception:
                log.exception("queueing a webhook failed, retrying", extra={"task_id": task_id})
                await asyncio.sleep(1.0)

    async def take(self, task_id: str) -> None:
        outcome = await self.terminal_outcome(task_id)
        if outcome is None:
            log.warning("task not terminal in time, no webhook", extra={"task_id": task_id})
            return
        business_id, ended_at = outcome.business_id, outcome.updated_at.ToDatetime(tzinfo=datetime.UTC)
        config = await self.db[WEBHOOKS].find_one({"_id": business_id}, {"events": 1, "created_at": 1})
        event_type = f"task.{outcome.task.status}"
        if config is None or event_type not in config["events"] or ended_at < config["created_at"]:
            return
        body = queue.payload(event_type, json_format.MessageToDict(outcome.task), ended_at)
        if await queue.enqueue(self.db, business_id, task_id, event_type, body, ids.now()):
            lag_ms = (ids.now() - ended_at) / datetime.timedelta(milliseconds=1)
            log.info("webhook queued", extra={"task_id": task_id, "business_id": business_id,
                                              "type": event_type, "lag_ms": round(lag_ms)})
            self.on_queued()

    async def terminal_outcome(self, task_id: str) -> outcomes_pb2.Outcome | None:
        """The task's record once the projection made it terminal (without html_dump), or None."""
        deadline = time.monotonic() + self.settle_seconds
        while True:
            outcome = await self.outcomes.GetOutcome(outcomes_pb2.GetOutcomeRequest(task_id=task_id),
                                                     timeout=self.timeout)
            if outcome.terminal:
                return outcome
            if time.monotonic() >= deadline:
                return None
            await asyncio.sleep(0.05)
