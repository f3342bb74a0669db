"""After an action, wait until the page is quiet: a click or Enter may start a page load only
after a script's own request (a sign-in that POSTs, then navigates), so "the document is
loaded" alone would show the model the page as it was."""
import asyncio
import time

WATCHED = {"document", "fetch", "xhr"}


class Quiet:
    """Counts the page's document/fetch/XHR requests in flight (attach once per page)."""

    def __init__(self, page):
        self.in_flight = 0
        self.changed = time.monotonic()
        page.on("request", lambda r: self._count(r, 1))
        page.on("requestfinished", lambda r: self._count(r, -1))
        page.on("requestfailed", lambda r: self._count(r, -1))

    def _count(self, request, delta: int) -> None:
        if request.resource_type in WATCHED:
            self.in_flight = max(0, self.in_flight + delta)
            self.changed = time.monotonic()

    async def wait(self, quiet_s: float = 0.1, limit_s: float = 3.0) -> None:
        """Returns once nothing watched has been in flight for quiet_s since the action (a
        script's request may start a moment after it), at most limit_s."""
        start = time.monotonic()
        deadline = start + limit_s
        while time.monotonic() < deadline:
            if self.in_flight == 0 and time.monotonic() - max(self.changed, start) >= quiet_s:
                return
            await asyncio.sleep(0.02)
