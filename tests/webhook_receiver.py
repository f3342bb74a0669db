"""A local HTTP receiver for webhooks: records every request and answers from a script of
statuses (the last one repeats). A 3xx answer carries `location`."""
import http.server
import threading
import time


class Receiver:
    def __init__(self, statuses: tuple[int, ...] = (200,), location: str = ""):
        self.statuses = list(statuses)
        self.location = location
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.arrived_at: list[float] = []
        self.changed = threading.Condition()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                status = receiver.record({k.lower(): v for k, v in self.headers.items()}, body)
                self.send_response(status)
                if 300 <= status < 400:
                    self.send_header("Location", receiver.location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.http = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.http.server_address[1]
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    def url(self, host: str = "localhost") -> str:
        return f"http://{host}:{self.port}/hooks/stablebrowse?source=test"

    def record(self, headers: dict[str, str], body: bytes) -> int:
        with self.changed:
            self.requests.append((headers, body))
            self.arrived_at.append(time.time())
            self.changed.notify_all()
            return self.statuses.pop(0) if len(self.statuses) > 1 else self.statuses[0]

    def wait_for(self, count: int, timeout: float = 90) -> list[tuple[dict[str, str], bytes]]:
        with self.changed:
            if not self.changed.wait_for(lambda: len(self.requests) >= count, timeout):
                raise AssertionError(f"{len(self.requests)} webhook requests after {timeout}s, wanted {count}")
            return list(self.requests)

    def close(self) -> None:
        self.http.shutdown()
        self.http.server_close()
