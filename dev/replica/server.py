"""The replica web: local copies of popular sites, one port per site, served under
their real hostnames through STABLEBROWSE_HOST_MAP (no machine here reaches the internet).

Static sites are files under sites/<host>/ (written by `python -m dev.replica.build`).
A request maps to a file by one rule, first match wins:
  1. with a query string: <path>/<query>.html, the query's pairs sorted and joined by `&`
     (`/item?id=41000001` -> item/id=41000001.html);
  2. the path itself, or <path>.html (`/wiki/Quill` -> wiki/Quill.html), or <path>/index.html;
  otherwise 404 (no directory listings). Unknown query strings fall through to rule 2.
A dynamic site (social.example, a login wall) is a handler class of its own (see _dynamic).
Given a certificate (dev/replica/tls.py), each port speaks both plain HTTP and TLS:
a connection that opens with a TLS handshake is served over TLS.
"""
import argparse
import functools
import http.server
import os
import pathlib
import signal
import socket
import ssl
import sys
import threading
import urllib.parse

SITES_DIR = pathlib.Path(__file__).parent / "sites"

# Every site the replica web serves, in a fixed order (the stack gives each a port).
SITES = ("news.ycombinator.com", "en.wikipedia.org", "www.amazon.com", "www.airbnb.com", "social.example")


def known_sites() -> list[str]:
    return list(SITES)


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Static files of one site, routed as the module docstring says."""

    server_version = "replica"
    extensions_map = {
        ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml",
        ".gif": "image/gif", ".ico": "image/x-icon",
    }

    def translate_path(self, path: str) -> str:
        path, _, query = path.split("#", 1)[0].partition("?")
        base = super().translate_path(path)
        candidates = []
        pairs = urllib.parse.parse_qsl(query, keep_blank_values=True)
        canonical = "&".join(f"{k}={v}" for k, v in sorted(pairs))
        if canonical and "/" not in canonical and "\\" not in canonical and not canonical.startswith("."):
            candidates.append(os.path.join(base, canonical + ".html"))
        candidates.append(base)
        if base.rstrip("/") != self.directory.rstrip("/"):
            candidates.append(base.rstrip("/") + ".html")
        candidates.append(os.path.join(base, "index.html"))
        for candidate in candidates:
            if os.path.isfile(candidate):
                return candidate
        return os.path.join(self.directory, ".missing")

    def version_string(self) -> str:
        return self.server_version

    def list_directory(self, path):
        self.send_error(404, "File not found")
        return None

    def log_message(self, fmt: str, *args) -> None:
        headers = getattr(self, "headers", None)  # absent when the request line did not parse
        sys.stderr.write("replica {} {}\n".format(headers.get("Host", "-") if headers else "-", fmt % args))


class ReplicaServer(http.server.ThreadingHTTPServer):
    """http:// and https:// on one port: the first byte of a connection tells which."""

    daemon_threads = True
    tls: ssl.SSLContext | None = None

    def finish_request(self, request, client_address):
        if self.tls is not None:
            request.settimeout(10)
            try:
                first = request.recv(1, socket.MSG_PEEK)
                if first == b"\x16":  # a TLS handshake record
                    request = self.tls.wrap_socket(request, server_side=True)
            except (OSError, ssl.SSLError):
                return  # the client went away or failed its handshake
        super().finish_request(request, client_address)

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (ConnectionError, ssl.SSLError, TimeoutError)):
            super().handle_error(request, client_address)


def tls_context(cert: str, key: str) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


def _dynamic() -> dict[str, type[SiteHandler]]:
    from dev.replica import social  # imported late: it builds on SiteHandler

    return {"social.example": social.SocialHandler}


def serve(site: str, port: int, tls: ssl.SSLContext | None = None) -> ReplicaServer:
    """Starts serving `site` on 127.0.0.1:port (0 = any free port) in a daemon thread;
    with `tls`, https too."""
    root = SITES_DIR / site
    dynamic = _dynamic()
    if site not in SITES or not (site in dynamic or root.is_dir()):
        raise SystemExit(f"no replica for {site} in {SITES_DIR}")
    handler = functools.partial(dynamic.get(site, SiteHandler), directory=str(root))
    server = ReplicaServer(("127.0.0.1", port), handler)
    server.tls = tls
    threading.Thread(target=server.serve_forever, name=site, daemon=True).start()
    return server


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("sites", nargs="+", help="host=port, e.g. news.ycombinator.com=9101")
    p.add_argument("--cert", help="PEM certificate: serve https too (with --key)")
    p.add_argument("--key", help="PEM private key of --cert")
    args = p.parse_args(argv)
    tls = tls_context(args.cert, args.key) if args.cert and args.key else None
    servers = []
    for entry in args.sites:
        host, _, port = entry.partition("=")
        servers.append(serve(host, int(port), tls))
        print(f"replica {host} on 127.0.0.1:{servers[-1].server_address[1]}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    stoppers = [threading.Thread(target=server.shutdown) for server in servers]  # each waits for its poll
    for t in stoppers:
        t.start()
    for t in stoppers:
        t.join()
    return 0


if __name__ == "__main__":
    sys.exit(main())
