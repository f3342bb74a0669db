"""The replica web: local copies of popular sites, one port per site, served under
their real hostnames through STABLEBROWSE_HOST_MAP (no machine here reaches the internet)."""
import argparse
import functools
import http.server
import pathlib
import signal
import sys
import threading

SITES = pathlib.Path(__file__).parent / "sites"


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Static files of one site; `/` and `/news` are its front page; query strings ignored."""

    def translate_path(self, path: str) -> str:
        path = path.split("?", 1)[0].split("#", 1)[0]
        if path in ("", "/", "/news"):
            path = "/index.html"
        return super().translate_path(path)

    def log_message(self, fmt: str, *args) -> None:
        sys.stderr.write("replica %s %s\n" % (self.headers.get("Host", "-"), fmt % args))


def serve(site: str, port: int) -> http.server.ThreadingHTTPServer:
    root = SITES / site
    if not root.is_dir():
        raise SystemExit(f"no replica for {site} in {SITES}")
    handler = functools.partial(SiteHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, name=site, daemon=True).start()
    return server


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("sites", nargs="+", help="host=port, e.g. news.ycombinator.com=9101")
    args = p.parse_args(argv)
    servers = []
    for entry in args.sites:
        host, _, port = entry.partition("=")
        servers.append(serve(host, int(port)))
        print(f"replica {host} on 127.0.0.1:{port}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    for server in servers:
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
