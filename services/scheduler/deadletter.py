"""Poison events: an event that cannot be applied goes to `<prefix>.task-events.dead`.

An undecodable event goes there at once. One that decodes but fails to apply is retried
with backoff; after MAX_TRIES failures while MongoDB answers a ping (so the fault is the
event's, not an outage's) it goes there too, logged with its task id, and the projection
moves on. While MongoDB is down the event is retried without limit: an outage must not
empty the topic into the dead letters.
"""
import asyncio
import logging
from collections.abc import Awaitable, Callable

from aiokafka import AIOKafkaProducer

log = logging.getLogger(__name__)

MAX_TRIES = 3


class DeadLetters:
    def __init__(self, producer: AIOKafkaProducer, topic: str, first_delay: float = 0.5):
        self.producer = producer
        self.topic = topic
        self.first_delay = first_delay

    async def send(self, record, reason: str, task_id: str | None) -> None:
        """Keeps trying until the dead letter is on Kafka: the event is never dropped silently."""
        headers = [("reason", reason[:500].encode()),
                   ("source", f"{record.topic}/{record.partition}/{record.offset}".encode())]
        delay = self.first_delay
        while True:
            try:
                await self.producer.send_and_wait(self.topic, record.value, key=record.key, headers=headers)
                break
            except Exception as exc:
                log.warning("dead letter not sent, retrying", extra={"task_id": task_id, "error": type(exc).__name__})
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
        log.error("event dead-lettered", extra={"task_id": task_id, "reason": reason, "topic": self.topic,
                                               "partition": record.partition, "offset": record.offset})

    async def apply(self, db, record, task_id: str, apply: Callable[[], Awaitable[bool | None]]) -> bool | None:
        """apply() with retries; None when the event was dead-lettered."""
        tries, delay = 0, self.first_delay
        while True:
            try:
                return await apply()
            except Exception as exc:
                tries += 1
                if tries >= MAX_TRIES and await _database_answers(db):
                    await self.send(record, f"{type(exc).__name__}: {exc}", task_id)
                    return None
                log.warning("projecting event failed, retrying",
                            extra={"task_id": task_id, "try": tries, "error": type(exc).__name__})
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)


async def _database_answers(db) -> bool:
    try:
        await asyncio.wait_for(db.command("ping"), 5)
        return True
    except Exception:
        return False
