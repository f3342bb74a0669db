"""The shared topic reader (services/common/kafka.tail) without a broker: its backoff, and what it
does when the bootstrap address refuses connections (a real socket, nothing mocked)."""
import asyncio
import socket

import pytest

from services.common import kafka
from services.common.settings import KafkaSettings


def test_backoff_doubles_up_to_the_cap_and_starts_over_after_a_success():
    backoff = kafka.Backoff(first=0.5, cap=3.0)
    assert [backoff.next() for _ in range(5)] == [0.5, 1.0, 2.0, 3.0, 3.0]
    backoff.reset()
    assert backoff.next() == 0.5


class Stop(Exception):
    """Ends the reader from inside its sleep."""


async def test_a_refused_broker_is_retried_with_growing_delays_and_never_reported_ready():
    with socket.socket() as closed:  # bound, not listening: connections to it are refused
        closed.bind(("127.0.0.1", 0))
        settings = KafkaSettings(kafka_bootstrap_servers=f"127.0.0.1:{closed.getsockname()[1]}")
        ready = asyncio.Event()
        delays: list[float] = []
        handled: list[bytes] = []

        async def sleep(seconds: float) -> None:
            assert not ready.is_set()
            delays.append(seconds)
            if len(delays) == 3:
                raise Stop

        with pytest.raises(Stop):
            await asyncio.wait_for(kafka.tail("t", settings, lambda _k, v: handled.append(v), ready=ready, sleep=sleep), 60)
    assert delays == [0.5, 1.0, 2.0]
    assert handled == [] and not ready.is_set()
