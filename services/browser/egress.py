"""Every connection a task's browser opens goes through this proxy (one per browser context):
where the request guard's rule is enforced for every request — pages, subresources, scripts'
requests and the redirects Chromium follows — so a metadata host name or an address that is
not globally routable (guard.globally_routable) is refused whatever led there. It connects
to the address it checked (no second DNS answer can swap it), and serves mapped hosts
(STABLEBROWSE_HOST_MAP) from their local replica.

HTTP requests come in absolute form; each connection carries exactly one (http1.py frames
its head and body, nothing after it is read, and the response says `Connection: close`), so
every request is checked and routed on its own. https comes as CONNECT and is tunnelled as
it is. A refused or unreachable destination gets a closed connection, never a status:
Chromium (and Playwright's own fetch, which tunnels even http://) would show a proxy's
status page as the site's own response."""
import asyncio
import contextlib
import logging
import urllib.parse

from services.browser import http1
from services.browser.guard import METADATA_HOSTS, RequestGuard, globally_routable, resolve

log = logging.getLogger(__name__)

RESPONSE_HEAD_LIMIT = 256 * 1024


class Refused(Exception):
    """The destination is not allowed; the message names the host."""


class EgressProxy:
    def __init__(self, guard: RequestGuard):
        self.guard = guard
        self.server: asyncio.AbstractServer | None = None
        self.port = 0
        self.open: set[asyncio.StreamWriter] = set()

    async def start(self) -> "EgressProxy":
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0, limit=http1.HEAD_LIMIT)
        self.port = self.server.sockets[0].getsockname()[1]
        return self

    async def close(self) -> None:
        if self.server is not None:
            self.server.close()
            for writer in list(self.open):
                writer.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.server.wait_closed(), 2)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def destination(self, host: str, port: int) -> tuple[str, int]:
        """Where to connect for host:port, or Refused."""
        host = host.lower().strip("[]")
        mapped = self.guard.host_map.get(host)
        if mapped is not None:
            address, _, mapped_port = mapped.rpartition(":")
            return address, int(mapped_port)
        if host in self.guard.allowed:
            return host, port
        if host in METADATA_HOSTS:
            raise self.refused(host)
        try:
            addresses = await resolve(host, port)
        except OSError:
            raise Refused(f"{host} does not resolve") from None
        if not addresses or not all(globally_routable(a) for a in addresses):
            raise self.refused(host)
        return addresses[0], port

    def refused(self, host: str) -> Refused:
        self.guard.refuse(host)
        log.warning("egress refused", extra={"host": host})
        return Refused(f"{host} is not a globally routable address")

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.open.add(writer)
        try:
            head = await http1.read_head(reader)
            if head.method == "CONNECT":
                await self._tunnel(head, reader, writer)
            else:
                await self._forward(head, reader, writer)
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, http1.BadRequest, ValueError,
                ConnectionError):
            pass
        finally:
            self.open.discard(writer)
            writer.close()

    async def _tunnel(self, head: http1.RequestHead, reader: asyncio.StreamReader,
                      writer: asyncio.StreamWriter) -> None:
        host, _, port = head.target.rpartition(":")
        upstream = await self._open(host, int(port))
        if upstream is None:
            return
        writer.write(b"HTTP/1.1 200 Connection Established\r\n\r\n")
        await writer.drain()
        await _splice(reader, writer, *upstream)

    async def _forward(self, head: http1.RequestHead, reader: asyncio.StreamReader,
                       writer: asyncio.StreamWriter) -> None:
        """One request to its own checked origin; the connection ends with its response."""
        url = urllib.parse.urlsplit(head.target)
        if url.scheme != "http" or not url.hostname:
            return
        length = http1.body_length(head)  # before connecting: a body that cannot be framed goes nowhere
        upstream = await self._open(url.hostname, url.port or 80)
        if upstream is None:
            return
        upstream_reader, upstream_writer = upstream
        upstream_writer.write(http1.origin_head(head, url))
        upward = asyncio.create_task(http1.copy_body(reader, upstream_writer, length))
        # A body that breaks off or turns out malformed ends the exchange (the origin sees EOF).
        upward.add_done_callback(lambda t: t.cancelled() or t.exception() is None or upstream_writer.close())
        try:
            await http1.relay_response(upstream_reader, writer)
        finally:
            upward.cancel()
            await asyncio.gather(upward, return_exceptions=True)
            upstream_writer.close()

    async def _open(self, host: str, port: int):
        """(reader, writer) to the checked destination, or None (refused or unreachable)."""
        try:
            address, port = await self.destination(host, port)
            return await asyncio.wait_for(asyncio.open_connection(address, port, limit=RESPONSE_HEAD_LIMIT), 15)
        except (Refused, OSError, TimeoutError):
            return None


async def _splice(client_reader, client_writer, upstream_reader, upstream_writer) -> None:
    """Copies both ways until either side is done."""
    async def pump(source, sink):
        try:
            while data := await source.read(65536):
                sink.write(data)
                await sink.drain()
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            with contextlib.suppress(Exception):
                if sink.can_write_eof():
                    sink.write_eof()

    upward = asyncio.create_task(pump(client_reader, upstream_writer))
    downward = asyncio.create_task(pump(upstream_reader, client_writer))
    try:
        await downward  # the response (or the tunnel's far end) decides when the exchange is over
    finally:
        upward.cancel()
        upstream_writer.close()
