"""One warm Chromium per worker; a fresh, isolated context per task."""
import contextlib
import logging

from playwright.async_api import Browser, BrowserContext, async_playwright

from services.browser.egress import EgressProxy
from services.browser.guard import RequestGuard
from services.common import hostmap, metrics

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


def launch_args(host_map: dict[str, str], trusted_spki: str = "") -> list[str]:
    args = list(FLAGS)
    rules = hostmap.chromium_resolver_rules(host_map)
    if rules:
        args.append(f"--host-resolver-rules={rules}")
        if trusted_spki:  # only that one key, never certificate errors in general
            args.append(f"--ignore-certificate-errors-spki-list={trusted_spki}")
    return args


class ChromiumPool:
    """Owns the Playwright driver and the browser process for the worker's lifetime."""

    def __init__(self, executable: str, host_map: dict[str, str], trusted_spki: str = ""):
        self.executable = executable
        self.host_map = host_map
        self.trusted_spki = trusted_spki
        self._playwright = None
        self.browser: Browser | None = None

    async def start(self) -> None:
        self._playwright = await async_playwright().start()
        self.browser = await self._playwright.chromium.launch(
            executable_path=self.executable, args=launch_args(self.host_map, self.trusted_spki), headless=True
        )
        log.info("chromium started", extra={"version": self.browser.version})

    @contextlib.asynccontextmanager
    async def fresh_context(self, guard: RequestGuard):
        """No cookies, storage or cache cross tasks: each task gets its own context, closed after.
        Every request of the context goes through the task's guard, and every connection
        through its egress proxy (loopback included: `<-loopback>` drops Chromium's bypass)."""
        proxy = await EgressProxy(guard).start()
        context: BrowserContext = await self.browser.new_context(
            service_workers="block", proxy={"server": proxy.url, "bypass": "<-loopback>"})
        await context.route("**/*", guard.handle)
        try:
            with metrics.browser_slot():
                yield context
        finally:
            await context.unroute_all(behavior="ignoreErrors")
            await context.close()
            await proxy.close()

    async def close(self) -> None:
        if self.browser is not None:
            await self.browser.close()
        if self._playwright is not None:
            await self._playwright.stop()
