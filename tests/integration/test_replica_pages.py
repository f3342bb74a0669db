"""The replica web in real Chromium, through the browser worker's own host map and request
guard: https:// URLs of the real hostnames render the local copies."""
import os

import pytest
import pytest_asyncio

from dev.replica import server, tls
from services.browser.chromium import ChromiumPool
from services.browser.guard import RequestGuard
from services.browser.settings import BrowserSettings

pytestmark = pytest.mark.skipif(not os.path.exists(BrowserSettings().chromium_path), reason="no Chromium")


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def browse(tmp_path_factory):
    cert, key = tls.ensure_cert(tmp_path_factory.mktemp("tls"), server.known_sites())
    servers = {site: server.serve(site, 0, server.tls_context(str(cert), str(key))) for site in server.known_sites()}
    host_map = {site: f"127.0.0.1:{s.server_address[1]}" for site, s in servers.items()}
    pool = ChromiumPool(BrowserSettings().chromium_path, host_map, tls.spki_hash(cert), sandbox=os.geteuid() != 0)
    await pool.start()

    def context():
        return pool.fresh_context(RequestGuard(host_map, set()))

    yield context
    await pool.close()
    for s in servers.values():
        s.shutdown()
        s.server_close()


async def test_static_sites_render_under_their_real_https_urls(browse):
    async with browse() as context:
        page = await context.new_page()
        await page.goto("https://news.ycombinator.com/")
        assert await page.title() == "Hacker News"
        assert await page.locator("tr.athing").count() == 30
        await page.get_by_role("link", name="42\xa0comments").click()
        await page.wait_for_url("https://news.ycombinator.com/item?id=41000001")
        assert await page.locator("tr.athing.comtr").count() == 42

        await page.goto("https://en.wikipedia.org/wiki/Port_Ellery")
        assert await page.locator("h1#firstHeading").inner_text() == "Port Ellery"
        assert await page.locator("table.infobox").is_visible()

        await page.goto("https://www.amazon.com/dp/B0D7K3LQ9X")
        assert "Larkfield Electric Kettle" in await page.locator("#productTitle").inner_text()
        assert (await page.locator("#availability").inner_text()).strip() == "In Stock"

        await page.goto("https://www.airbnb.com/s/Kyoto/homes")
        assert await page.locator('[data-testid="card-container"]').count() == 12


@pytest.mark.parametrize("scheme", ["https", "http"])
async def test_social_login_wall_in_the_browser(browse, scheme):
    # Chromium follows the replica's redirects itself, past the guard: https works because
    # the replica speaks TLS too and the browser trusts exactly its certificate.
    async with browse() as context:
        page = await context.new_page()
        await page.goto(f"{scheme}://social.example/home")
        assert page.url == f"{scheme}://social.example/login?next=/home"
        await page.get_by_label("Username").fill("alice")
        await page.get_by_label("Password").fill("correct horse battery staple")
        await page.get_by_role("button", name="Log in").click()
        await page.wait_for_url(f"{scheme}://social.example/home")
        assert await page.locator('article[data-testid="tweet"]').count() == 8
    async with browse() as context:
        await context.add_cookies([{"name": "session", "value": "bob-2d9e81c4a7f05b3e", "domain": "social.example", "path": "/"}])
        page = await context.new_page()
        await page.goto(f"{scheme}://social.example/home")
        assert await page.title() == "Home / Social"
