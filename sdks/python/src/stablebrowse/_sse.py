"""A Server-Sent Events parser, as the WHATWG HTML standard specifies it (9.2.6).

Fed raw bytes in chunks of any size, it returns the events each chunk completes. Lines end in
CRLF, LF or CR (a CR at the end of one chunk and an LF at the start of the next are one line
ending); the stream is UTF-8, split anywhere, with an optional leading BOM. Comments (`:`) are
skipped, `data` lines join with a newline, `id` persists across events (and is ignored when it
holds a NUL), `retry` sets the reconnection time when it is all digits, and an unknown field, an
event without data, and an unfinished event at the end of the stream are dropped."""
from __future__ import annotations

import codecs
import dataclasses
import re

_LINE_END = re.compile(r"\r\n|\r|\n")


@dataclasses.dataclass
class ServerSentEvent:
    """One dispatched event: `event` defaults to "message"; `id` is the last event ID so far."""

    event: str = "message"
    data: str = ""
    id: str = ""


class SSEParser:
    """Incremental: `feed(chunk)` for each chunk received. `last_event_id` (what a reconnect sends
    as Last-Event-ID) and `retry_ms` (the server's reconnection time) survive events."""

    def __init__(self, last_event_id: str = "") -> None:
        self.last_event_id = last_event_id
        self.retry_ms: int | None = None
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._buffer = ""
        self._started = False
        self._skip_lf = False  # the last chunk ended in CR: an LF starting the next ends nothing
        self._event = ""
        self._data: list[str] = []

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        text = self._decoder.decode(chunk)
        if not self._started and text:
            self._started = True
            text = text.removeprefix("\ufeff")
        if self._skip_lf and text:
            text = text.removeprefix("\n")
            self._skip_lf = False
        if not text:
            return []
        self._buffer += text
        *lines, self._buffer = _LINE_END.split(self._buffer)
        if self._buffer == "" and text.endswith("\r"):
            self._skip_lf = True
        events = []
        for line in lines:
            event = self._line(line)
            if event is not None:
                events.append(event)
        return events

    def _line(self, line: str) -> ServerSentEvent | None:
        if not line:
            return self._dispatch()
        if line.startswith(":"):
            return None
        field, colon, value = line.partition(":")
        if colon and value.startswith(" "):
            value = value[1:]
        if field == "event":
            self._event = value
        elif field == "data":
            self._data.append(value)
        elif field == "id" and "\0" not in value:
            self.last_event_id = value
        elif field == "retry" and value.isascii() and value.isdigit():
            self.retry_ms = int(value)
        return None

    def _dispatch(self) -> ServerSentEvent | None:
        data, event = self._data, self._event
        self._data, self._event = [], ""
        if not data:
            return None
        return ServerSentEvent(event=event or "message", data="\n".join(data), id=self.last_event_id)
