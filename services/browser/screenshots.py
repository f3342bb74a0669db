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

# While the shot is taken (only then), every password input, in the page and in its frames, is
# painted one flat colour, its text hidden: a stylesheet Playwright applies to every frame. The
# :not(#…) chain outranks a page's own !important rules on the field (specificity 1,6,1 …).
# A stylesheet costs nothing extra; Playwright's `mask` option injected its selector engine into
# each new document first (0.4–2 s on the first shot after every navigation).
MASK_COLOR = "#ff00ff"
_MASKED = "input[type=password]" + "".join(f":not(#sb-{i})" for i in range(6))
MASK_STYLE = (f"{_MASKED} {{ color: transparent !important; -webkit-text-fill-color: transparent !important; "
              "-webkit-text-security: disc !important; text-shadow: none !important; caret-color: transparent !important; "
              f"background: {MASK_COLOR} !important; box-shadow: inset 0 0 0 100000px {MASK_COLOR} !important; }}")
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
                    type="jpeg", quality=self.quality, full_page=False, caret="hide", style=MASK_STYLE,
                    timeout=self.timeout_s * 1000)
        except (PlaywrightError, TimeoutError) as exc:
            log.info("no step screenshot", extra={"reason": type(exc).__name__})
            return b""
        took_ms = round((time.perf_counter() - began) * 1000, 1)
        if len(jpeg) > MAX_BYTES:
            log.info("no step screenshot", extra={"reason": "too large", "bytes": len(jpeg)})
            return b""
        log.info("step screenshot", extra={"bytes": len(jpeg), "screenshot_ms": took_ms})
        return jpeg
