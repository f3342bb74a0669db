"""Step screenshots: a small JPEG of the viewport after each action, password inputs masked.

A screenshot never holds a step up for long: it gets `timeout_s`, and a failure (a busy
renderer, a closed page, an image too large for the event) just means the step has none."""
import asyncio
import logging
import time

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page

from services.browser.agent.actions import web_url

log = logging.getLogger(__name__)

# Every password input, in the page and in its frames, is painted over with one flat colour.
PASSWORD_INPUTS = "input[type=password]"  # HTML matches type case-insensitively
MASK_COLOR = "#FF00FF"
# The step event carries the JPEG through Kafka (1 MB messages): anything larger is dropped.
MAX_BYTES = 600_000


class Camera:
    """Takes the screenshot that goes with a step of one task's page."""

    def __init__(self, page: Page, quality: int, timeout_s: float):
        self.page = page
        self.quality = quality
        self.timeout_s = timeout_s

    async def shot(self) -> bytes:
        """The viewport as JPEG (at most its size: 1280×720 by default), or b"" for none."""
        if self.page.is_closed() or not web_url(self.page.url):
            return b""  # about:blank before the first page, or Chromium's error page
        began = time.perf_counter()
        try:
            async with asyncio.timeout(self.timeout_s):
                jpeg = await self.page.screenshot(
                    type="jpeg", quality=self.quality, full_page=False, animations="disabled", caret="hide",
                    mask=self._masks(), mask_color=MASK_COLOR, timeout=self.timeout_s * 1000)
        except (PlaywrightError, TimeoutError) as exc:
            log.info("no step screenshot", extra={"reason": type(exc).__name__})
            return b""
        took_ms = round((time.perf_counter() - began) * 1000, 1)
        if len(jpeg) > MAX_BYTES:
            log.info("no step screenshot", extra={"reason": "too large", "bytes": len(jpeg)})
            return b""
        log.info("step screenshot", extra={"bytes": len(jpeg), "screenshot_ms": took_ms})
        return jpeg

    def _masks(self) -> list:
        """Password inputs of the page and of every frame in it (a sign-in form in an iframe)."""
        return [frame.locator(PASSWORD_INPUTS) for frame in self.page.frames]
