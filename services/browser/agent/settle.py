"""After an action, wait until the page has settled, on the page's own signals rather than a
fixed quiet window: its DOM has stopped changing (measured in the page), none of its own
document/fetch/XHR requests is in flight, and a navigation it started has committed (the
caller then waits for domcontentloaded). A click or Enter may start a page load only after a
script's own request (a sign-in that POSTs, then navigates), so "the document is loaded"
alone would show the model the page as it was."""
import asyncio

from playwright.async_api import Error as PlaywrightError

WATCHED = {"document", "fetch", "xhr"}

# Resolves once the DOM has not changed for `quiet` ms (at most `cap` ms). The evaluation is
# also a barrier: the page's requests started before it ran have been reported by the time it
# answers (Playwright delivers a page's events in order). A navigation that commits meanwhile
# ends it with an error, which is a signal too.
DOM_QUIET_JS = """([quiet, cap]) => new Promise((done) => {
  const began = performance.now();
  let last = began;
  const observer = new MutationObserver(() => { last = performance.now(); });
  observer.observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
  const check = () => {
    const now = performance.now();
    if (now - last >= quiet || now - began >= cap) { observer.disconnect(); done(now - began); }
    else setTimeout(check, Math.max(5, quiet - (now - last)));
  };
  setTimeout(check, quiet);
})"""


class Quiet:
    """Counts the page's document/fetch/XHR requests in flight (attach once per page)."""

    def __init__(self, page, dom_quiet_ms: int = 40, dom_cap_ms: int = 400):
        self.page = page
        self.dom_quiet_ms = dom_quiet_ms
        self.dom_cap_ms = dom_cap_ms
        self.in_flight = 0
        self.changes = 0  # requests started or ended so far
        self.idle = asyncio.Event()
        self.idle.set()
        page.on("request", lambda r: self._count(r, 1))
        page.on("requestfinished", lambda r: self._count(r, -1))
        page.on("requestfailed", lambda r: self._count(r, -1))

    def _count(self, request, delta: int) -> None:
        if request.resource_type in WATCHED:
            self.in_flight = max(0, self.in_flight + delta)
            self.changes += 1
            if self.in_flight:
                self.idle.clear()
            else:
                self.idle.set()

    async def wait(self, limit_s: float = 3.0) -> None:
        """Returns once a round finds the DOM quiet and no request started or ended during it
        (each request a script starts when another ends gets its own round), at most limit_s."""
        try:
            async with asyncio.timeout(limit_s):
                while True:
                    seen = self.changes
                    await self._dom_quiet()
                    await self.idle.wait()
                    if self.changes == seen:
                        return
        except TimeoutError:
            return  # a page that never settles (a ticker, a long poll) is read as it is

    async def _dom_quiet(self) -> None:
        try:
            await self.page.evaluate(DOM_QUIET_JS, [self.dom_quiet_ms, self.dom_cap_ms])
        except PlaywrightError:
            pass  # the document went away (a navigation committed): its replacement is read next round
