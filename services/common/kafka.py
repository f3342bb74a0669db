"""Kafka topics, producers and consumers shared by the services."""
import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from aiokafka.errors import KafkaConnectionError, KafkaError, TopicAlreadyExistsError

from services.common.settings import KafkaSettings

log = logging.getLogger(__name__)

PARTITIONS = 8
# An outcome event may carry a 5 MiB html_dump; Kafka's default limit is 1 MiB.
EVENT_MAX_BYTES = 8 * 1024 * 1024
TOPIC_CONFIG = {"max.message.bytes": str(EVENT_MAX_BYTES)}


def dispatch_topic(settings: KafkaSettings) -> str:
    return f"{settings.topic_prefix}.task-dispatch"


def events_topic(settings: KafkaSettings) -> str:
    return f"{settings.topic_prefix}.task-events"


def control_topic(settings: KafkaSettings) -> str:
    return f"{settings.topic_prefix}.task-control"


def dead_events_topic(settings: KafkaSettings) -> str:
    """Events the projection could not apply (services/scheduler/deadletter.py)."""
    return f"{events_topic(settings)}.dead"


async def ensure_topics(settings: KafkaSettings, attempts: int = 30) -> None:
    """Creates the topics if missing; retries with backoff while the broker starts."""
    delay = 0.2
    for attempt in range(attempts):
        admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap_servers)
        try:
            await admin.start()
            existing = set(await admin.list_topics())
            wanted = [dispatch_topic(settings), events_topic(settings), control_topic(settings),
                      dead_events_topic(settings)]
            missing = [NewTopic(t, PARTITIONS, 1, topic_configs=TOPIC_CONFIG) for t in wanted if t not in existing]
            if missing:
                try:
                    await admin.create_topics(missing)
                except TopicAlreadyExistsError:
                    pass
            # Topics made before the limit existed (or by someone else) get it too.
            await admin.alter_configs([ConfigResource(ConfigResourceType.TOPIC, t, configs=TOPIC_CONFIG) for t in wanted])
            return
        except KafkaConnectionError:
            if attempt == attempts - 1:
                raise
            log.info("kafka not ready, retrying", extra={"delay_s": delay})
            await asyncio.sleep(delay)
            delay = min(delay * 2, 2.0)
        finally:
            await admin.close()


async def start_producer(settings: KafkaSettings) -> AIOKafkaProducer:
    producer = AIOKafkaProducer(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        acks="all",
        enable_idempotence=True,
        linger_ms=0,  # latency first: a task's events are few and small
        request_timeout_ms=10000,
        max_request_size=EVENT_MAX_BYTES,
    )
    await producer.start()
    return producer


def new_consumer(settings: KafkaSettings, topic: str, group: str, **kwargs: Any) -> AIOKafkaConsumer:
    return AIOKafkaConsumer(
        topic,
        bootstrap_servers=settings.kafka_bootstrap_servers,
        group_id=group,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        max_partition_fetch_bytes=EVENT_MAX_BYTES,
        **kwargs,
    )


class Backoff:
    """Delays between reconnects: doubling from `first` up to `cap`, back to `first` after a success."""

    def __init__(self, first: float = 0.5, cap: float = 10.0):
        self.first = first
        self.cap = cap
        self.delay = first

    def next(self) -> float:
        delay = self.delay
        self.delay = min(self.delay * 2, self.cap)
        return delay

    def reset(self) -> None:
        self.delay = self.first


async def tail(topic: str, settings: KafkaSettings, handle: Callable[[bytes | None, bytes], None], *,
               ready: asyncio.Event | None = None, backoff: Backoff | None = None,
               sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
    """Calls handle(key, value) for every record written to `topic` from now on, forever.

    No consumer group: every caller sees every record, from the topic's end. When Kafka is away
    it reconnects with backoff; `ready` is set while positioned on the topic, cleared while not."""
    backoff = backoff or Backoff()
    while True:
        consumer = AIOKafkaConsumer(
            topic, bootstrap_servers=settings.kafka_bootstrap_servers, group_id=None, enable_auto_commit=False,
            auto_offset_reset="latest", max_partition_fetch_bytes=EVENT_MAX_BYTES)
        try:
            await consumer.start()
            if ready is not None:
                ready.set()
            backoff.reset()
            while True:
                batches = await consumer.getmany(timeout_ms=1000, max_records=500)
                for records in batches.values():
                    for record in records:
                        handle(record.key, record.value)
        except KafkaError as exc:
            log.warning("lost Kafka while reading a topic, reconnecting", extra={"topic": topic, "error": type(exc).__name__})
        finally:
            if ready is not None:
                ready.clear()
            with contextlib.suppress(Exception):
                await consumer.stop()
        await sleep(backoff.next())
