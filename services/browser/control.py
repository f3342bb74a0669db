"""Stop messages for running tasks (a caller cancelled one). Every worker reads the control
topic from its end, without a consumer group, and stops the task if it runs it here."""
import asyncio
import contextlib
import logging
from collections.abc import Callable

from aiokafka import AIOKafkaConsumer
from aiokafka.errors import KafkaError
from google.protobuf.message import DecodeError

from services.common import kafka
from services.common.settings import KafkaSettings
from stablebrowse.events.v1 import events_pb2

log = logging.getLogger(__name__)


async def listen(settings: KafkaSettings, stop: Callable[[str], None]) -> None:
    """Calls stop(task_id) for each cancel message, forever; reconnects with backoff."""
    delay = 0.5
    while True:
        consumer = AIOKafkaConsumer(kafka.control_topic(settings), bootstrap_servers=settings.kafka_bootstrap_servers,
                                    group_id=None, enable_auto_commit=False, auto_offset_reset="latest")
        try:
            await consumer.start()
            delay = 0.5
            while True:
                batches = await consumer.getmany(timeout_ms=1000)
                for records in batches.values():
                    for record in records:
                        _handle(record.value, stop)
        except KafkaError as exc:
            log.warning("control topic unavailable, reconnecting", extra={"error": type(exc).__name__})
        finally:
            with contextlib.suppress(Exception):
                await consumer.stop()
        await asyncio.sleep(delay)
        delay = min(delay * 2, 10.0)


def _handle(raw: bytes, stop: Callable[[str], None]) -> None:
    try:
        message = events_pb2.TaskControl.FromString(raw)
    except DecodeError:
        return
    if message.cancel:
        stop(message.task_id)
