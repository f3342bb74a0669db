"""A tiny HTTP server in front of the stack that passes responses through as they arrive (so an
event stream stays live) and records every request with its Last-Event-ID header. It can spoil
event streams: drop the first one after it has passed `cut_after_steps` step events on (the
connection closes mid-stream, as when a proxy or the network drops it), or answer every one
with `events_status` instead of forwarding it (a server or proxy without the stream)."""
import http.server
import threading

import httpx

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}


class StreamFront:
    def __init__(self, upstream: str, *, cut_after_steps: int | None = None, events_status: int | None = None):
        self.seen: list[tuple[str, str, str | None]] = []  # (method, path, Last-Event-ID)
        self.lock = threading.Lock()
        self.upstream = upstream
        self.cut_after_steps = cut_after_steps
        self.events_status = events_status
        self.streams = 0
        front = self

        class Handler(http.server.BaseHTTPRequestHandler):
            # HTTP/1.0: each response ends when the connection closes, so chunks pass straight on.
            def do_GET(self):
                front.handle(self)

            do_POST = do_PUT = do_DELETE = do_GET

            def log_message(self, *args):
                pass

        self.http = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.http.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.http.server_address[1]}"
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    def requests(self, method: str, suffix: str) -> list[tuple[str, str, str | None]]:
        with self.lock:
            return [seen for seen in self.seen if seen[0] == method and seen[1].endswith(suffix)]

    def handle(self, request: http.server.BaseHTTPRequestHandler) -> None:
        body = request.rfile.read(int(request.headers.get("Content-Length") or 0))
        events = request.path.endswith("/events")
        with self.lock:
            self.seen.append((request.command, request.path, request.headers.get("Last-Event-ID")))
            self.streams += events
            cut = events and self.streams == 1 and self.cut_after_steps is not None
        if events and self.events_status is not None:
            request.send_response(self.events_status)
            request.send_header("Content-Type", "text/plain")
            request.end_headers()
            request.wfile.write(b"no route\n")
            return
        headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP}
        with httpx.stream(request.command, self.upstream + request.path, headers=headers, content=body,
                          timeout=60) as answer:
            request.send_response(answer.status_code)
            for name, value in answer.headers.items():
                if name.lower() not in HOP_BY_HOP:
                    request.send_header(name, value)
            request.end_headers()
            self.pass_on(request, answer, self.cut_after_steps if cut else None)

    @staticmethod
    def pass_on(request: http.server.BaseHTTPRequestHandler, answer: httpx.Response, cut_after: int | None) -> None:
        """Event by event (blank-line separated), so a cut falls between two whole events."""
        steps = 0
        pending = b""
        for chunk in answer.iter_bytes():
            pending += chunk
            while b"\n\n" in pending:
                event, pending = pending.split(b"\n\n", 1)
                request.wfile.write(event + b"\n\n")
                request.wfile.flush()
                steps += event.startswith(b"id:") and b"\nevent: step\n" in event + b"\n"
                if cut_after is not None and steps >= cut_after:
                    return  # the handler returns and the connection closes: the stream is dropped
        request.wfile.write(pending)

    def close(self) -> None:
        self.http.shutdown()
        self.http.server_close()
