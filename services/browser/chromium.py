"""One warm Chromium per worker; a fresh, isolated context per task."""
import contextlib
import logging
import urllib.parse

from playwright.async_api import Browser, BrowserContext, Route, async_playwright

from services.common import hostmap

log = logging.getLogger(__name__)

# Flags this environment needs (no sandbox as root, no GPU, no background traffic).
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]


def launch_args(host_map: dict[str, str]) -> list[str]:
    args = list(FLAGS)
    rules = hostmap.chromium_resolver_rules(host_map)
    if rules:
        args.append(f"--host-resolver-rules={rules}")
    return args


class ChromiumPool:
    """Owns the Playwright driver and the browser process for the worker's lifetime."""

    def __init__(self, executable: str, host_map: dict[str, str]):
        self.executable = executable
        self.host_map = host_map
        self._playwright = None
        self.browser: Browser | None = None

    async def start(self) -> None:
        self._playwright = await async_playwright().start()
        self.browser = await self._playwright.chromium.launch(
            executable_path=self.executable, args=launch_args(self.host_map), headless=True
        )
        log.info("chromium started", extra={"version": self.browser.version})

    @contextlib.asynccontextmanager
    async def fresh_context(self):
        """No cookies, storage or cache cross tasks: each task gets its own context, closed after."""
        context: BrowserContext = await self.browser.new_context()
        if self.host_map:
            await context.route(self._is_mapped, self._serve_mapped)
        try:
            yield context
        finally:
            await context.close()

    def _is_mapped(self, url: str) -> bool:
        return urllib.parse.urlsplit(url).hostname in self.host_map

    async def _serve_mapped(self, route: Route) -> None:
        """http:// and https:// of a mapped host are both answered by its local plain-HTTP server."""
        url = urllib.parse.urlsplit(route.request.url)
        local = urllib.parse.urlunsplit(("http", self.host_map[url.hostname], url.path or "/", url.query, ""))
        response = await route.fetch(url=local, headers={**route.request.headers, "host": url.hostname})
        await route.fulfill(response=response)

    async def close(self) -> None:
        if self.browser is not None:
            await self.browser.close()
        if self._playwright is not None:
            await self._playwright.stop()
