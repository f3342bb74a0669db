"""One warm Chromium per worker; a fresh, isolated context per task."""
import contextlib
import logging
import os
import tempfile

from playwright.async_api import Browser, BrowserContext, async_playwright

from services.browser.egress import EgressProxy
from services.browser.guard import RequestGuard
from services.common import hostmap

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


class ChromiumPool:
    """Owns the Playwright driver and the browser process for the worker's lifetime."""

    def __init__(self, executable: str, host_map: dict[str, str], trusted_spki: str = "", sandbox: bool = True):
        self.executable = executable
        self.sandbox = sandbox
        self.host_map = host_map
        self.trusted_spki = trusted_spki
        self._playwright = None
        self.browser: Browser | None = None

    async def start(self) -> None:
        self._playwright = await async_playwright().start()
        self.browser = await self._playwright.chromium.launch(
            executable_path=self.executable, args=launch_args(self.host_map, self.trusted_spki), headless=True,
            env=chromium_env(), chromium_sandbox=self.sandbox,
        )
        log.info("chromium started", extra={"version": self.browser.version})

    @contextlib.asynccontextmanager
    async def fresh_context(self, guard: RequestGuard):
        """No cookies, storage or cache cross tasks: each task gets its own context, closed after.
        Every request of the context goes through the task's guard, and every connection
        through its egress proxy (loopback included: `<-loopback>` drops Chromium's bypass).
        Downloads are refused: nothing a page sends is written to disk."""
        proxy = await EgressProxy(guard).start()
        context: BrowserContext = await self.browser.new_context(
            service_workers="block", accept_downloads=False, proxy={"server": proxy.url, "bypass": "<-loopback>"})
        await context.route("**/*", guard.handle)
        try:
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
