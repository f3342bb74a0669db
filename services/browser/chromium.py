"""One warm Chromium per worker; a fresh, isolated context per task; relaunched if it dies."""
import asyncio
import contextlib
import logging
import os
import tempfile
from collections.abc import Callable
from typing import cast

from playwright.async_api import Browser, BrowserContext, Playwright, async_playwright
from playwright.async_api import Error as PlaywrightError

from services.browser.egress import EgressProxy
from services.browser.guard import RequestGuard
from services.common import hostmap, metrics

log = logging.getLogger(__name__)

# Flags this environment needs (no GPU, no background traffic, WebRTC only through the proxy,
# which carries no UDP: STUN/TURN cannot bypass the egress checks). Headless Chromium takes the
# WebRTC policy as --webrtc-ip-handling-policy (newer) or --force-webrtc-ip-handling-policy
# (older); the image also sets the matching managed policy (deploy/docker/chromium-policy.json).
# The sandbox is Playwright's `chromium_sandbox` (STABLEBROWSE_CHROMIUM_SANDBOX), never a flag here.
FLAGS = [
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
    "--webrtc-ip-handling-policy=disable_non_proxied_udp",
    "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
]

# The only variables Chromium (and so every renderer) inherits: never the vault key, the
# database URI, the LLM key or anything else of the worker's.
CHROMIUM_ENV = ("PATH", "HOME", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "TZ", "FONTCONFIG_FILE", "FONTCONFIG_PATH")


def chromium_env() -> dict[str, str]:
    env = {name: os.environ[name] for name in CHROMIUM_ENV if name in os.environ}
    env.setdefault("PATH", "/usr/bin:/bin")
    env.setdefault("HOME", tempfile.gettempdir())
    env["TMPDIR"] = tempfile.gettempdir()
    return env


def launch_args(host_map: dict[str, str], trusted_spki: str = "") -> list[str]:
    args = list(FLAGS)
    rules = hostmap.chromium_resolver_rules(host_map)
    if rules:
        args.append(f"--host-resolver-rules={rules}")
        if trusted_spki:  # only that one key, never certificate errors in general
            args.append(f"--ignore-certificate-errors-spki-list={trusted_spki}")
    return args


CLOSE_TIMEOUT_S = 30.0


class BrowserLost(Exception):
    """Chromium died under a running task: the task is handed back, not failed."""


class ChromiumPool:
    """Owns the Playwright driver and the browser process for the worker's lifetime.
    If Chromium dies (crash, OOM kill), `on_health(False)` is called, it is relaunched with
    backoff, and `on_health(True)` once it is back; new contexts wait for it meanwhile."""

    def __init__(self, executable: str, host_map: dict[str, str], trusted_spki: str = "", sandbox: bool = True,
                 on_health: Callable[[bool], None] = lambda serving: None):
        self.executable = executable
        self.sandbox = sandbox
        self.host_map = host_map
        self.trusted_spki = trusted_spki
        self.on_health = on_health
        self._playwright: Playwright | None = None
        self.browser: Browser | None = None
        self.ready = asyncio.Event()
        self.lost_signal = asyncio.Event()  # set when the current browser dies (a new one per launch)
        self._lost_signals: dict[Browser, asyncio.Event] = {}
        self._closing = False
        self._relaunch: asyncio.Task | None = None

    async def start(self) -> None:
        self._playwright = await async_playwright().start()
        await self._launch()

    async def _launch(self) -> None:
        assert self._playwright is not None  # start() came first
        browser = await self._playwright.chromium.launch(
            executable_path=self.executable, args=launch_args(self.host_map, self.trusted_spki), headless=True,
            env=cast(dict[str, str | float | bool], chromium_env()), chromium_sandbox=self.sandbox,
        )
        lost = asyncio.Event()
        browser.on("disconnected", lambda gone: self._disconnected(gone, lost))
        self._lost_signals[browser] = lost
        self.browser, self.lost_signal = browser, lost
        self.ready.set()
        log.info("chromium started", extra={"version": browser.version})

    def _disconnected(self, browser: Browser, lost: asyncio.Event) -> None:
        lost.set()  # tasks running in it stop at once (runner.py)
        if self._closing or browser is not self.browser:
            return
        log.error("chromium disconnected; relaunching")
        self.ready.clear()
        self.on_health(False)
        self._relaunch = asyncio.get_running_loop().create_task(self._relaunch_with_backoff())

    async def _relaunch_with_backoff(self) -> None:
        delay = 0.5
        while not self._closing:
            try:
                await self._launch()
                self.on_health(True)
                return
            except Exception as exc:
                log.error("chromium relaunch failed", extra={"error": repr(exc), "retry_s": delay})
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30.0)

    def lost_signal_for(self, browser: Browser) -> asyncio.Event:
        """Set when that browser (the one a context belongs to) dies."""
        return self._lost_signals.get(browser, self.lost_signal)

    def lost(self, browser: Browser) -> bool:
        """The browser a task's context belonged to has died."""
        return not browser.is_connected()

    @contextlib.asynccontextmanager
    async def fresh_context(self, guard: RequestGuard):
        """No cookies, storage or cache cross tasks: each task gets its own context, closed after.
        Every connection of the context goes through the task's egress proxy, which enforces
        the guard's rule (loopback included: `<-loopback>` drops Chromium's bypass).
        Downloads are refused: nothing a page sends is written to disk."""
        await self.ready.wait()
        proxy = await EgressProxy(guard).start()
        try:
            assert self.browser is not None  # ready
            context: BrowserContext = await self.browser.new_context(
                service_workers="block", accept_downloads=False, proxy={"server": proxy.url, "bypass": "<-loopback>"})
        except BaseException:
            await proxy.close()
            raise
        try:
            with metrics.browser_slot():
                yield context
        finally:
            with contextlib.suppress(PlaywrightError, TimeoutError):
                async with asyncio.timeout(CLOSE_TIMEOUT_S):
                    await context.close()  # closes its pages: a busy renderer is killed with them
            await proxy.close()

    async def close(self) -> None:
        self._closing = True
        if self._relaunch is not None:
            self._relaunch.cancel()
        if self.browser is not None:
            with contextlib.suppress(PlaywrightError):
                await self.browser.close()
        if self._playwright is not None:
            await self._playwright.stop()
