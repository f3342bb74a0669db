"""Settling after an action (agent/settle.py) in real Chromium: the wait lasts while the page's
own request is in flight, and a script that sends a request and then navigates is followed to
the new page. The server holds the request until the test releases it, so nothing here depends
on how fast the machine is."""
import asyncio
import http.server
import os
import threading

import pytest
import pytest_asyncio
from playwright.async_api import async_playwright

from services.browser.agent.settle import Quiet
from services.browser.settings import BrowserSettings

pytestmark = [pytest.mark.skipif(not os.path.exists(BrowserSettings().chromium_path), reason="no Chromium"),
              pytest.mark.asyncio(loop_scope="module")]

PAGES = {
    "/fill": b"""<title>Fill</title><p id="out">empty</p><button id="go" onclick="
        fetch('/held').then((r) => r.text()).then((t) => { document.getElementById('out').textContent = t; })">go</button>""",
    "/send": b"""<title>Send</title><button id="go" onclick="
        fetch('/held', {method: 'POST'}).finally(() => { location.href = '/next'; })">sign in</button>""",
    "/next": b"<title>Next</title><p>signed in</p>",
}


class HeldSite:
    """Serves PAGES; /held answers only once `release` is set."""

    def __init__(self):
        self.asked = threading.Event()
        self.release = threading.Event()
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self._answer()

            def do_POST(self):
                self._answer()

            def _answer(self):
                if self.path == "/held":
                    site.asked.set()
                    site.release.wait(30)
                body = PAGES.get(self.path, b"fetched text")
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def browser():
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=BrowserSettings().chromium_path, args=["--no-sandbox"])
        yield browser
        await browser.close()


@pytest_asyncio.fixture(loop_scope="module")
async def held(browser):
    site = HeldSite()
    page = await browser.new_page()
    yield site, page, Quiet(page)
    site.release.set()
    await page.close()
    site.server.shutdown()


async def still_going(task: asyncio.Task, seconds: float = 1.5) -> bool:
    """True if the task has not ended within `seconds`: several times what a wait that ignored
    the request would take (a DOM quiet round is 40 ms, capped at 400), so a slow machine can
    only make this pass, never fail, for a right implementation."""
    done, _ = await asyncio.wait({task}, timeout=seconds)
    return not done


async def test_the_wait_lasts_while_the_pages_own_request_is_in_flight(held):
    site, page, quiet = held
    await page.goto(site.url + "/fill")
    await page.click("#go")
    settling = asyncio.create_task(quiet.wait(limit_s=30))
    assert await asyncio.to_thread(site.asked.wait, 15), "the page never sent its request"
    assert await still_going(settling), "the wait ended while the page's request was in flight"
    site.release.set()
    await asyncio.wait_for(settling, 30)
    assert await page.text_content("#out") == "fetched text"


async def test_a_script_that_sends_a_request_then_navigates_is_followed_to_the_new_page(held):
    site, page, quiet = held
    await page.goto(site.url + "/send")
    await page.click("#go")
    settling = asyncio.create_task(quiet.wait(limit_s=30))
    assert await asyncio.to_thread(site.asked.wait, 15), "the page never sent its request"
    assert await still_going(settling), "the wait ended while the page's request was in flight"
    site.release.set()
    await asyncio.wait_for(settling, 30)
    assert page.url == site.url + "/next"  # no wait for the load here: the settle followed it
    assert await page.title() == "Next"
