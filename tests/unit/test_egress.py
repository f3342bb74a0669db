"""The egress proxy's request framing, over real sockets (no Chromium, no stack): each
connection carries exactly one request, so a second request on a kept-alive or pipelined
connection is never piped to the first request's origin; it is checked and routed on its own
connection. Origins are named through the host map, so no DNS is involved."""
import asyncio
import contextlib

import pytest

from services.browser.egress import EgressProxy
from services.browser.guard import RequestGuard

DEADLINE = 10


class Origin:
    """A real TCP server that reads until `until`, answers, half-closes and records every
    byte the proxy ever sent it (until the proxy closes)."""

    def __init__(self, host: str = "127.0.0.1", until: bytes = b"\r\n\r\n",
                 response: bytes = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"):
        self.host, self.until, self.response = host, until, response
        self.received: list[bytes] = []
        self.connections = 0
        self.server = None

    async def start(self) -> "Origin":
        self.server = await asyncio.start_server(self._serve, self.host, 0)
        return self

    @property
    def address(self) -> str:
        return f"{self.host}:{self.server.sockets[0].getsockname()[1]}"

    async def _serve(self, reader, writer):
        self.connections += 1
        data = b""
        with contextlib.suppress(asyncio.IncompleteReadError, ConnectionError):
            data = await reader.readuntil(self.until)
            writer.write(self.response)
            writer.write_eof()
            data += await reader.read()  # whatever else the proxy sends, until it closes
        self.received.append(data)
        writer.close()

    def close(self):
        self.server.close()


@pytest.fixture
async def origins():
    started = []

    async def start(**kwargs) -> Origin:
        origin = await Origin(**kwargs).start()
        started.append(origin)
        return origin

    yield start
    for origin in started:
        origin.close()


async def proxy_for(host_map: dict[str, str]) -> EgressProxy:
    return await EgressProxy(RequestGuard(host_map, set())).start()


async def exchange(proxy: EgressProxy, data: bytes) -> bytes:
    """Sends `data` on one connection and reads until the proxy closes it."""
    reader, writer = await asyncio.open_connection("127.0.0.1", proxy.port)
    writer.write(data)
    await writer.drain()
    try:
        return await asyncio.wait_for(reader.read(), DEADLINE)
    finally:
        writer.close()


async def received(origin: Origin, count: int = 1) -> list[bytes]:
    """What the origin got, once `count` of its connections have ended."""
    async with asyncio.timeout(DEADLINE):
        while len(origin.received) < count:
            await asyncio.sleep(0.01)
    return origin.received


def get(host: str, path: str = "/") -> bytes:
    return f"GET http://{host}{path} HTTP/1.1\r\nHost: {host}\r\nConnection: keep-alive\r\n\r\n".encode()


async def test_a_pipelined_second_request_to_another_host_is_not_piped_to_the_first(origins):
    a, b = await origins(), await origins()
    proxy = await proxy_for({"a.test": a.address, "b.test": b.address})
    try:
        reply = await exchange(proxy, get("a.test", "/one") + get("b.test", "/two"))
        assert reply.startswith(b"HTTP/1.1 200 OK\r\n") and reply.endswith(b"\r\n\r\nok")
        assert b"Connection: close" in reply
        [seen] = await received(a)
        assert seen.startswith(b"GET /one HTTP/1.1\r\nHost: a.test\r\n") and b"/two" not in seen
        assert seen.endswith(b"Connection: close\r\n\r\n")
        # The client sends it again on a new connection (as Chromium does): routed to its own host.
        assert (await exchange(proxy, get("b.test", "/two"))).endswith(b"ok")
        assert (await received(b))[0].startswith(b"GET /two HTTP/1.1\r\nHost: b.test\r\n")
        assert a.connections == 1
    finally:
        await proxy.close()


async def test_a_kept_alive_second_request_to_a_private_address_is_refused(origins):
    a, canary = await origins(), await origins(host="127.0.0.2")
    proxy = await proxy_for({"a.test": a.address})
    try:
        private = f"http://{canary.address}/secret"
        second = f"GET {private} HTTP/1.1\r\nHost: {canary.address}\r\n\r\n".encode()
        assert (await exchange(proxy, get("a.test") + second)).endswith(b"ok")
        assert b"secret" not in (await received(a))[0]
        assert await exchange(proxy, second) == b""  # on its own connection: checked and refused
        assert proxy.guard.refusals == ["127.0.0.2"]
        assert canary.connections == 0
    finally:
        await proxy.close()


async def test_a_shared_address_space_destination_is_refused_without_connecting():
    proxy = await proxy_for({})
    try:
        assert await exchange(proxy, get("100.64.1.1")) == b""
        assert await exchange(proxy, b"CONNECT [2002:a9fe:a9fe::]:443 HTTP/1.1\r\n\r\n") == b""
        assert proxy.guard.refusals == ["100.64.1.1", "2002:a9fe:a9fe::"]
    finally:
        await proxy.close()


async def test_a_metadata_host_name_is_refused_by_name_and_remembered():
    """Pages reach the proxy without a Playwright route in front: a metadata service's name is
    refused here (and recorded, so the page load is `blocked_address`) whatever it resolves to."""
    proxy = await proxy_for({})
    try:
        assert await exchange(proxy, get("metadata.google.internal", "/computeMetadata/v1/")) == b""
        assert await exchange(proxy, b"CONNECT instance-data:443 HTTP/1.1\r\n\r\n") == b""
        assert proxy.guard.refusals == ["metadata.google.internal", "instance-data"]
    finally:
        await proxy.close()


async def test_a_chunked_body_is_forwarded_whole_and_nothing_after_it(origins):
    body = b"4\r\nWiki\r\n5;ext=1\r\npedia\r\n0\r\nTrailer: x\r\n\r\n"
    a = await origins(until=body)
    proxy = await proxy_for({"a.test": a.address})
    try:
        head = b"POST http://a.test/form HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: chunked\r\n\r\n"
        assert (await exchange(proxy, head + body + get("a.test", "/after"))).endswith(b"ok")
        [seen] = await received(a)
        assert seen.endswith(b"Connection: close\r\n\r\n" + body)
        assert b"/after" not in seen
    finally:
        await proxy.close()


async def test_a_content_length_body_is_forwarded_exactly(origins):
    a = await origins(until=b"hello")
    proxy = await proxy_for({"a.test": a.address})
    try:
        head = b"POST http://a.test/form HTTP/1.1\r\nHost: a.test\r\nContent-Length: 5\r\n\r\n"
        assert (await exchange(proxy, head + b"hello" + get("a.test", "/after"))).endswith(b"ok")
        [seen] = await received(a)
        assert seen.endswith(b"\r\n\r\nhello")
    finally:
        await proxy.close()


@pytest.mark.parametrize("head", [
    b"GET http://a.test/ HTTP/1.1\r\nHost: a.test\r\nX-Big: " + b"x" * 70_000 + b"\r\n\r\n",
    b"POST http://a.test/ HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\nhello",
    b"POST http://a.test/ HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
    b"POST http://a.test/ HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
    b"GET http://a.test/ HTTP/1.1\r\nX-Folded: a\r\n b\r\n\r\n",
    b"GET http://a.test/ HTTP/1.1\r\nBad Header: a\r\n\r\n",
], ids=["oversized-head", "length-and-chunked", "other-coding", "two-lengths", "folded", "bad-name"])
async def test_requests_that_cannot_be_framed_are_closed_before_any_origin_is_contacted(origins, head):
    a = await origins()
    proxy = await proxy_for({"a.test": a.address})
    try:
        assert await exchange(proxy, head) == b""
        assert a.connections == 0
    finally:
        await proxy.close()


async def test_the_response_says_connection_close_whatever_the_origin_said(origins):
    a = await origins(response=b"HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\n"
                               b"Content-Length: 2\r\n\r\nok")
    proxy = await proxy_for({"a.test": a.address})
    try:
        reply = await exchange(proxy, get("a.test"))
        head = reply.split(b"\r\n\r\n")[0].lower()
        assert b"keep-alive" not in head and head.endswith(b"connection: close")
    finally:
        await proxy.close()
