"""The egress proxy's HTTP/1.1 framing (services/browser/http1.py) on bytes alone: request
heads, body lengths, the head sent to the origin, and exact body copies. Real asyncio streams
fed by the test; no sockets, no proxy, no stack."""
import asyncio
import socket
import urllib.parse

import pytest

from services.browser import http1


def reader_of(data: bytes, limit: int = 2**16) -> asyncio.StreamReader:
    reader = asyncio.StreamReader(limit=limit)
    reader.feed_data(data)
    reader.feed_eof()
    return reader


async def copied(data: bytes, length: int | None) -> tuple[bytes, bytes]:
    """Runs copy_body on `data` into one end of a real socket pair: (what the other end got,
    what copy_body left unread)."""
    ours, theirs = socket.socketpair()
    _, writer = await asyncio.open_connection(sock=ours)
    peer, peer_writer = await asyncio.open_connection(sock=theirs)
    reader = reader_of(data)
    try:
        await http1.copy_body(reader, writer, length)
    finally:
        writer.close()
        await writer.wait_closed()
        received = await peer.read()
        peer_writer.close()
    return received, await reader.read()


async def test_a_head_is_split_into_method_target_version_and_headers():
    head = await http1.read_head(reader_of(b"POST http://a.test/x?y=1 HTTP/1.1\r\nHost: a.test\r\n"
                                           b"Content-Type:  text/plain \t\r\nX-Empty:\r\n\r\nbody"))
    assert (head.method, head.target, head.version) == ("POST", "http://a.test/x?y=1", "HTTP/1.1")
    assert head.headers == [("Host", "a.test"), ("Content-Type", "text/plain"), ("X-Empty", "")]
    assert head.values("content-type") == ["text/plain"]


async def test_a_client_that_closes_before_a_whole_head_is_an_incomplete_read():
    with pytest.raises(asyncio.IncompleteReadError):
        await http1.read_head(reader_of(b"GET http://a.test/ HTTP/1.1\r\nHost: a"))


@pytest.mark.parametrize("raw, reason", [
    (b"GET http://a.test/\r\n\r\n", "malformed request line"),
    (b"GET http://a.test/ HTTP/2\r\n\r\n", "malformed request line"),
    (b"GET  http://a.test/ HTTP/1.1\r\n\r\n", "malformed request line"),
    (b"G(T http://a.test/ HTTP/1.1\r\n\r\n", "malformed request line"),
    (b"GET http://a.test/ HTTP/1.1\r\nNo-Colon\r\n\r\n", "malformed header line"),
    (b"GET http://a.test/ HTTP/1.1\r\nX: a\r\n folded\r\n\r\n", "malformed header line"),
    (b"GET http://a.test/ HTTP/1.1\r\nBad Name: a\r\n\r\n", "malformed header line"),
])
async def test_heads_that_cannot_be_parsed_say_why(raw, reason):
    with pytest.raises(http1.BadRequest, match=reason):
        await http1.read_head(reader_of(raw))


async def test_a_head_over_the_limit_is_refused():
    raw = b"GET http://a.test/ HTTP/1.1\r\nX-Big: " + b"x" * 100 + b"\r\n\r\n"
    with pytest.raises(http1.BadRequest, match="too large"):
        await http1.read_head(reader_of(raw, limit=64))


def head_with(*headers: tuple[str, str]) -> http1.RequestHead:
    return http1.RequestHead("POST", "http://a.test/", "HTTP/1.1", list(headers))


@pytest.mark.parametrize("headers, length", [
    ((), 0),
    ((("Content-Length", "12"),), 12),
    ((("Content-Length", "12, 12"),), 12),               # repeated, equal: one length
    ((("content-length", "7"), ("Content-Length", "7")), 7),
    ((("Transfer-Encoding", "chunked"),), None),
    ((("Transfer-Encoding", "Chunked "),), None),
])
def test_body_length(headers, length):
    assert http1.body_length(head_with(*headers)) == length


@pytest.mark.parametrize("headers, reason", [
    ((("Content-Length", "5"), ("Transfer-Encoding", "chunked")), "both Content-Length and Transfer-Encoding"),
    ((("Transfer-Encoding", "gzip, chunked"),), "unsupported Transfer-Encoding"),
    ((("Transfer-Encoding", "gzip"), ("Transfer-Encoding", "chunked")), "unsupported Transfer-Encoding"),
    ((("Content-Length", "5, 6"),), "invalid Content-Length"),
    ((("Content-Length", "-1"),), "invalid Content-Length"),
    ((("Content-Length", "0x10"),), "invalid Content-Length"),
])
def test_bodies_that_cannot_be_framed_without_guessing(headers, reason):
    with pytest.raises(http1.BadRequest, match=reason):
        http1.body_length(head_with(*headers))


def test_the_origin_gets_an_origin_form_target_its_own_host_and_connection_close():
    head = http1.RequestHead("GET", "http://user@a.test:8080/p?q=1#f", "HTTP/1.1", [
        ("Host", "evil.test"), ("Proxy-Authorization", "Basic eA=="), ("Connection", "keep-alive, X-Drop"),
        ("X-Drop", "1"), ("Keep-Alive", "timeout=5"), ("Accept", "*/*")])
    sent = http1.origin_head(head, urllib.parse.urlsplit(head.target))
    assert sent == (b"GET /p?q=1 HTTP/1.1\r\nHost: a.test:8080\r\nAccept: */*\r\nConnection: close\r\n\r\n")


def test_an_empty_path_becomes_slash():
    head = http1.RequestHead("GET", "http://a.test", "HTTP/1.0", [])
    assert http1.origin_head(head, urllib.parse.urlsplit(head.target)).startswith(b"GET / HTTP/1.0\r\nHost: a.test\r\n")


async def test_a_content_length_body_is_copied_exactly_and_nothing_after_it():
    sent, left = await copied(b"hello worldGET http://next/ HTTP/1.1\r\n\r\n", 11)
    assert (sent, left) == (b"hello world", b"GET http://next/ HTTP/1.1\r\n\r\n")


async def test_a_chunked_body_is_copied_with_its_trailers_and_nothing_after_it():
    body = b"5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n"
    assert await copied(body + b"NEXT", None) == (body, b"NEXT")


@pytest.mark.parametrize("body, reason", [
    (b"zz\r\nhello\r\n0\r\n\r\n", "malformed chunk size"),
    (b"\r\n", "malformed chunk size"),
    (b"5\r\nhelloXX0\r\n\r\n", "chunk not followed by CRLF"),
])
async def test_chunked_bodies_that_break_the_framing_are_refused(body, reason):
    with pytest.raises(http1.BadRequest, match=reason):
        await copied(body, None)


async def test_a_body_shorter_than_its_length_is_an_incomplete_read():
    with pytest.raises(asyncio.IncompleteReadError):
        await copied(b"abc", 10)
