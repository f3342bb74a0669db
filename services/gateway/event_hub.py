"""Live task events for the gateway's event streams: one Kafka reader per gateway process
fans the task-events topic out to watchers by task id, so watchers never load the database
per event. It reads from the topic's end, without a consumer group (every gateway sees
every event), and only keeps events that someone is watching."""
import asyncio
import collections
import contextlib
import logging

from aiokafka import AIOKafkaConsumer
from aiokafka.errors import KafkaError
from google.protobuf.message import DecodeError

from services.common import kafka
from services.common.settings import KafkaSettings
from stablebrowse.events.v1 import events_pb2

log = logging.getLogger(__name__)


class EventHub:
    def __init__(self, settings: KafkaSettings):
        self.settings = settings
        self.watchers: dict[str, set[asyncio.Queue]] = collections.defaultdict(set)
        self.ready = asyncio.Event()  # set once the reader is positioned at the topic's end

    @contextlib.contextmanager
    def watch(self, task_id: str):
        """A queue that receives this task's events for as long as the block runs."""
        queue: asyncio.Queue = asyncio.Queue()
        self.watchers[task_id].add(queue)
        try:
            yield queue
        finally:
            self.watchers[task_id].discard(queue)
            if not self.watchers[task_id]:
                del self.watchers[task_id]

    async def run(self) -> None:
        """Reads forever; reconnects with backoff when Kafka is away."""
        delay = 0.5
        while True:
            consumer = AIOKafkaConsumer(
                kafka.events_topic(self.settings), bootstrap_servers=self.settings.kafka_bootstrap_servers,
                group_id=None, enable_auto_commit=False, auto_offset_reset="latest",
                max_partition_fetch_bytes=kafka.EVENT_MAX_BYTES)
            try:
                await consumer.start()
                self.ready.set()
                delay = 0.5
                await self._read(consumer)
            except KafkaError as exc:
                log.warning("event stream reader lost Kafka, reconnecting", extra={"error": type(exc).__name__})
            finally:
                self.ready.clear()
                with contextlib.suppress(Exception):
                    await consumer.stop()
            await asyncio.sleep(delay)
            delay = min(delay * 2, 10.0)

    async def _read(self, consumer: AIOKafkaConsumer) -> None:
        while True:
            batches = await consumer.getmany(timeout_ms=1000, max_records=500)
            for records in batches.values():
                for record in records:
                    self._deliver(record.key, record.value)

    def _deliver(self, key: bytes | None, value: bytes) -> None:
        task_id = key.decode(errors="replace") if key else ""
        queues = self.watchers.get(task_id)
        if not queues:
            return  # nobody watches this task: not even decoded
        try:
            event = events_pb2.TaskEvent.FromString(value)
        except DecodeError:
            return
        if event.WhichOneof("kind") == "heartbeat":
            return
        for queue in queues:
            queue.put_nowait(event)
