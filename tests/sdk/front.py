"""A tiny HTTP server in front of the stack that this test controls: it forwards every request
to Envoy and records it, except that it may spoil the first POSTs, either by forwarding one
and then dropping the connection without an answer (the answer is lost on the way back), or
by answering 503 without forwarding it."""
import http.server
import threading

import httpx

CUT_OFF, UNAVAILABLE = "cut-off", "503"
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}


class Front:
    def __init__(self, upstream: str, spoil: str, first_posts: int = 1):
        self.seen: list[tuple[str, str, str | None]] = []  # (method, path, Idempotency-Key)
        self.post_count = 0
        self.lock = threading.Lock()
        front = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                front.handle(self, upstream, spoil, first_posts)

            do_GET = do_PUT = do_DELETE = do_POST

            def log_message(self, *args):
                pass

        self.http = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.http.server_address[1]}"
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    def posts(self) -> list[tuple[str, str, str | None]]:
        with self.lock:
            return [seen for seen in self.seen if seen[0] == "POST"]

    def handle(self, request: http.server.BaseHTTPRequestHandler, upstream: str, spoil: str, first_posts: int) -> None:
        body = request.rfile.read(int(request.headers.get("Content-Length") or 0))
        with self.lock:
            self.seen.append((request.command, request.path, request.headers.get("Idempotency-Key")))
            self.post_count += request.command == "POST"
            spoiled = request.command == "POST" and self.post_count <= first_posts
        if spoiled and spoil == UNAVAILABLE:
            return self.answer(request, httpx.Response(503, json={"message": "try again"}))
        headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP}
        answer = httpx.request(request.command, upstream + request.path, headers=headers, content=body, timeout=30)
        if spoiled:
            return  # CUT_OFF: the server acted on it, the client never hears back
        self.answer(request, answer)

    @staticmethod
    def answer(request: http.server.BaseHTTPRequestHandler, response: httpx.Response) -> None:
        request.send_response(response.status_code)
        for name, value in response.headers.items():
            if name.lower() not in HOP_BY_HOP:
                request.send_header(name, value)
        request.send_header("Content-Length", str(len(response.content)))
        request.end_headers()
        request.wfile.write(response.content)

    def close(self) -> None:
        self.http.shutdown()
        self.http.server_close()
