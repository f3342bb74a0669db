"""Live task events for the gateway's event streams: one Kafka reader per gateway process
fans the task-events topic out to watchers by task id, so watchers never load the database
per event. It reads from the topic's end, without a consumer group (every gateway sees
every event), and only keeps events that someone is watching."""
import asyncio
import collections
import contextlib

from google.protobuf.message import DecodeError

from services.common import kafka
from services.common.settings import KafkaSettings
from stablebrowse.events.v1 import events_pb2


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
        await kafka.tail(kafka.events_topic(self.settings), self.settings, self._deliver, ready=self.ready)

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
