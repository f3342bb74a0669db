"""The Python SDK's Server-Sent Events parser on inputs a real stream can produce: every chunking,
every line ending, multi-line data, comments, ids and retry values, per the WHATWG standard."""
import pytest

from stablebrowse import ServerSentEvent, SSEParser

STREAM = (b": keep-alive\n\n"
          b"id: 1\nevent: step\ndata: {\"n\":1}\n\n"
          b"event: status\ndata: {\"status\":\"running\"}\n\n"
          b"id: 2\nevent: step\ndata: {\"n\":2,\r\ndata: \"msg\":\"caf\xc3\xa9\"}\r\n\r\n"
          b"event: done\ndata: {}\n\n")
EXPECTED = [
    ServerSentEvent("step", '{"n":1}', "1"),
    ServerSentEvent("status", '{"status":"running"}', "1"),
    ServerSentEvent("step", '{"n":2,\n"msg":"café"}', "2"),
    ServerSentEvent("done", "{}", "2"),
]


def feed_all(parser: SSEParser, chunks) -> list[ServerSentEvent]:
    return [event for chunk in chunks for event in parser.feed(chunk)]


def test_a_whole_stream_in_one_chunk():
    assert feed_all(SSEParser(), [STREAM]) == EXPECTED


@pytest.mark.parametrize("size", [1, 2, 3, 5, 7])
def test_any_chunking_gives_the_same_events_even_inside_a_utf8_character(size):
    chunks = [STREAM[i:i + size] for i in range(0, len(STREAM), size)]
    assert feed_all(SSEParser(), chunks) == EXPECTED


def test_crlf_split_between_chunks_is_one_line_ending():
    # "data: a\r" then "\ndata: b": had the LF counted as a second (empty) line, "a" would be dispatched alone.
    assert feed_all(SSEParser(), [b"data: a\r", b"\ndata: b\r", b"\n\r", b"\n"]) == [ServerSentEvent("message", "a\nb")]


def test_lone_cr_ends_lines_too():
    assert feed_all(SSEParser(), [b"event: x\rdata: 1\r\r"]) == [ServerSentEvent("x", "1")]


def test_a_leading_bom_is_dropped_only_at_the_start():
    events = feed_all(SSEParser(), [b"\xef\xbb", b"\xbfdata: a\n\n\xef\xbb\xbfdata: b\n\n"])
    assert events == [ServerSentEvent("message", "a")]  # a BOM later makes an unknown field name


def test_field_value_rules():
    stream = (b"data\n"            # no colon: the field is the whole line, the value empty
              b"data:no-space\n"
              b"data:  two spaces\n"  # only one space is removed
              b"data: x: y\n\n")    # only the first colon splits
    assert feed_all(SSEParser(), [stream]) == [ServerSentEvent("message", "\nno-space\n two spaces\nx: y")]


def test_comments_unknown_fields_and_events_without_data_dispatch_nothing():
    stream = b": a comment\n\nfoo: bar\n\nevent: step\n\nid: 9\n\n:data: not data\n\n"
    parser = SSEParser()
    assert feed_all(parser, [stream]) == []
    assert parser.last_event_id == "9"  # an id without data still counts for Last-Event-ID
    assert parser.feed(b"data: later\n\n") == [ServerSentEvent("message", "later", "9")]


def test_event_type_does_not_leak_into_the_next_event():
    assert feed_all(SSEParser(), [b"event: step\ndata: 1\n\ndata: 2\n\n"]) == [
        ServerSentEvent("step", "1"), ServerSentEvent("message", "2")]


def test_id_persists_resets_when_empty_and_ignores_a_nul():
    parser = SSEParser("4")
    events = feed_all(parser, [b"data: a\n\nid: 5\ndata: b\n\nid: 6\x007\ndata: c\n\nid\ndata: d\n\n"])
    assert [e.id for e in events] == ["4", "5", "5", ""]


def test_retry_only_when_all_ascii_digits():
    parser = SSEParser()
    parser.feed(b"retry: 1500\n")
    assert parser.retry_ms == 1500
    parser.feed(b"retry: 15s\nretry: -1\nretry: \xc2\xb2\nretry:\n")
    assert parser.retry_ms == 1500


def test_an_unfinished_event_at_the_end_is_not_dispatched():
    parser = SSEParser()
    assert feed_all(parser, [b"data: complete\n\n", b"data: cut off\n"]) == [ServerSentEvent("message", "complete")]


def test_a_separator_inside_data_text_is_not_a_line_ending():
    # U+2028 and form feeds split lines for str.splitlines, not for SSE.
    data = "a\u2028b\x0cc\x1cd"
    assert feed_all(SSEParser(), [f"data: {data}\n\n".encode()]) == [ServerSentEvent("message", data)]
