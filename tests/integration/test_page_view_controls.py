"""Every visible control of a MiniWoB++ task page gets a ref in the page view (snapshot.js in
real Chromium), so the agent can act on it."""
import os
import pathlib

import pytest
import pytest_asyncio
from playwright.async_api import async_playwright

from bench import miniwob
from services.browser.agent.observe import observe
from services.browser.settings import BrowserSettings

pytestmark = [pytest.mark.skipif(not os.path.exists(BrowserSettings().chromium_path), reason="no Chromium"),
              pytest.mark.asyncio(loop_scope="module")]

FIXTURES = pathlib.Path(__file__).parent.parent / "unit/fixtures"


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def page():
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=BrowserSettings().chromium_path, args=["--no-sandbox"])
        yield await browser.new_page()
        await browser.close()


@pytest.mark.parametrize("task", miniwob.TASKS)
async def test_every_visible_control_of_a_miniwob_task_has_a_ref_on_the_page_view(page, task):
    site = miniwob.serve(miniwob.miniwob_html(), {})
    try:
        await page.goto(f"http://127.0.0.1:{site.server_address[1]}/miniwob/{task}.html?seed=3&run=t")
        await page.wait_for_function("document.querySelector('#query').innerText.trim().length > 0")
        content = (await observe(page)).content
        controls = page.locator("input, button, select, textarea, a, [role=tab], .alink")  # .alink: click-link's spans
        checked = 0
        for i in range(await controls.count()):
            control = controls.nth(i)
            if await control.is_visible():
                ref = await control.evaluate("e => e.closest('[data-sbref]')?.getAttribute('data-sbref')")  # or its control's
                assert ref and f"[{ref}]" in content, (task, await control.evaluate("e => e.outerHTML"), content)
                checked += 1
        assert checked >= 1, content
    finally:
        site.shutdown()
