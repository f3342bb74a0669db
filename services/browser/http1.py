"""HTTP/1.1 framing for the egress proxy: one request head, exactly its body (Content-Length
or chunked, never a byte more), and the response head rewritten to `Connection: close`.

Anything that cannot be framed without guessing (both Content-Length and Transfer-Encoding,
a transfer coding other than chunked, differing lengths, folded or malformed header lines,
a head over HEAD_LIMIT) is a BadRequest: the connection is closed, nothing is forwarded."""
import asyncio
import dataclasses
import re
import urllib.parse

HEAD_LIMIT = 64 * 1024
HOP_HEADERS = {"proxy-connection", "proxy-authorization", "connection", "keep-alive", "host", "te", "upgrade"}
TOKEN = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
VERSIONS = {"HTTP/1.0", "HTTP/1.1"}
CHUNK = 65536


class BadRequest(Exception):
    """The request cannot be framed safely; the message says why."""


@dataclasses.dataclass
class RequestHead:
    method: str
    target: str
    version: str
    headers: list[tuple[str, str]]

    def values(self, name: str) -> list[str]:
        return [value for key, value in self.headers if key.lower() == name]


async def read_head(reader: asyncio.StreamReader) -> RequestHead:
    """The next request head (IncompleteReadError when the client closed before one)."""
    try:
        raw = await reader.readuntil(b"\r\n\r\n")
    except asyncio.LimitOverrunError:
        raise BadRequest("request head too large") from None
    if len(raw) > HEAD_LIMIT:
        raise BadRequest("request head too large")
    request_line, *lines = raw[:-4].decode("latin-1").split("\r\n")
    parts = request_line.split(" ")
    if len(parts) != 3 or parts[2] not in VERSIONS or not TOKEN.match(parts[0]):
        raise BadRequest("malformed request line")
    headers = []
    for line in lines:
        name, colon, value = line.partition(":")
        if not colon or not TOKEN.match(name):
            raise BadRequest("malformed header line")
        headers.append((name, value.strip(" \t")))
    return RequestHead(parts[0], parts[1], parts[2], headers)


def body_length(head: RequestHead) -> int | None:
    """Bytes of body that follow the head; None for a chunked body."""
    codings = head.values("transfer-encoding")
    lengths = {value.strip() for joined in head.values("content-length") for value in joined.split(",")}
    if codings and lengths:
        raise BadRequest("both Content-Length and Transfer-Encoding")
    if codings:
        if ",".join(codings).strip().lower() != "chunked":
            raise BadRequest("unsupported Transfer-Encoding")
        return None
    if not lengths:
        return 0
    if len(lengths) != 1 or not next(iter(lengths)).isdigit():
        raise BadRequest("invalid Content-Length")
    return int(next(iter(lengths)))


def origin_head(head: RequestHead, url: urllib.parse.SplitResult) -> bytes:
    """The head as sent to the origin: origin-form target, Host from the URL, hop-by-hop
    headers (and those named in Connection) dropped, and `Connection: close`."""
    named = {n.strip().lower() for v in head.values("connection") for n in v.split(",")}
    path = urllib.parse.urlunsplit(("", "", url.path or "/", url.query, ""))
    kept = [(k, v) for k, v in head.headers if k.lower() not in HOP_HEADERS | named]
    lines = [f"{head.method} {path} {head.version}", f"Host: {url.netloc.rpartition('@')[2]}",
             *(f"{k}: {v}" for k, v in kept), "Connection: close"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def copy_body(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, length: int | None) -> None:
    """Copies exactly one request body; never reads past its end."""
    if length is None:
        await _copy_chunked(reader, writer)
        return
    while length > 0:
        data = await reader.readexactly(min(length, CHUNK))
        writer.write(data)
        await writer.drain()
        length -= len(data)


async def _copy_chunked(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    while True:
        line = await reader.readuntil(b"\r\n")
        size_text = line[:-2].split(b";", 1)[0].strip()
        if not size_text or not re.fullmatch(rb"[0-9A-Fa-f]{1,16}", size_text):
            raise BadRequest("malformed chunk size")
        writer.write(line)
        size = int(size_text, 16)
        if size == 0:
            break
        await copy_body(reader, writer, size)
        if await reader.readexactly(2) != b"\r\n":
            raise BadRequest("chunk not followed by CRLF")
        writer.write(b"\r\n")
    while (trailer := await reader.readuntil(b"\r\n")) != b"\r\n":
        writer.write(trailer)
    writer.write(b"\r\n")
    await writer.drain()


async def relay_response(upstream: asyncio.StreamReader, client: asyncio.StreamWriter) -> None:
    """Interim (1xx) heads as they are, then the final head with `Connection: close`, then
    everything until the origin closes (it was asked to)."""
    while True:
        raw = await upstream.readuntil(b"\r\n\r\n")
        parts = raw.split(b" ", 2)
        status = parts[1] if len(parts) > 1 else b""
        if not (status.startswith(b"1") and status != b"101"):
            break
        client.write(raw)
    status_line, *lines = raw[:-4].split(b"\r\n")
    kept = [line for line in lines if line.split(b":", 1)[0].strip().lower().decode("latin-1")
            not in {"connection", "keep-alive", "proxy-connection"}]
    client.write(b"\r\n".join([status_line, *kept, b"Connection: close"]) + b"\r\n\r\n")
    while data := await upstream.read(CHUNK):
        client.write(data)
        await client.drain()
