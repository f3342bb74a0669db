"""Stop messages for running tasks (a caller cancelled one). Every worker reads the control
topic from its end, without a consumer group, and stops the task if it runs it here."""
from collections.abc import Callable

from google.protobuf.message import DecodeError

from services.common import kafka
from services.common.settings import KafkaSettings
from stablebrowse.events.v1 import events_pb2


async def listen(settings: KafkaSettings, stop: Callable[[str], None]) -> None:
    """Calls stop(task_id) for each cancel message, forever; reconnects with backoff."""
    await kafka.tail(kafka.control_topic(settings), settings, lambda _key, value: _handle(value, stop))


def _handle(raw: bytes, stop: Callable[[str], None]) -> None:
    try:
        message = events_pb2.TaskControl.FromString(raw)
    except DecodeError:
        return
    if message.cancel:
        stop(message.task_id)
