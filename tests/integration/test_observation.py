"""What the model sees of a page (snapshot.js through observe()) in real Chromium, and that
the refs it shows are the ones the actions use."""
import os

import pytest
import pytest_asyncio
from playwright.async_api import async_playwright

from services.browser.agent.actions import Action, perform
from services.browser.agent.observe import observe
from services.browser.settings import BrowserSettings

pytestmark = [pytest.mark.skipif(not os.path.exists(BrowserSettings().chromium_path), reason="no Chromium"),
              pytest.mark.asyncio(loop_scope="module")]

LINKS = """<title>Links</title><style>.alink { cursor: pointer; color: blue; }</style>
<p>Cursus <span class="alink" onclick="document.title='clicked justo'">justo</span> nisl
<span class="alink" onclick="document.title='clicked nam'">n<b>am</b></span> tortor.</p>
<div style="cursor: pointer" onclick="document.title='card'">A whole card that is clickable, with a long description
that goes on well past what a link name would be, and <a href="#more">a real link</a> inside it.</div>"""
FORM = """<title>Form</title>
<label><input type="checkbox" checked>Wombat</label><label><input type="checkbox">Quokka</label>
<label>Name <input type="text" value="Kim"></label><button>Submit</button>"""


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def page():
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=BrowserSettings().chromium_path, args=["--no-sandbox"])
        yield await browser.new_page()
        await browser.close()


def ref(content: str, line: str) -> str:
    """The ref of the one line that reads `line` after its ref."""
    refs = [row.split("]")[0].lstrip("[") for row in content.splitlines() if row.endswith(line) and row.startswith("[e")]
    assert len(refs) == 1, content
    return refs[0]


async def test_text_made_clickable_by_script_gets_a_ref_that_clicks_it(page):
    await page.set_content(LINKS)
    content = (await observe(page)).content
    assert 'link "justo"' in content and 'link "nam"' in content
    await perform(page, Action("click", ref=ref(content, 'link "nam"')))
    assert await page.title() == "clicked nam"


async def test_a_long_clickable_block_keeps_its_text_and_links(page):
    await page.set_content(LINKS)
    content = (await observe(page)).content
    assert "A whole card that is clickable" in content and 'link "a real link"' in content
    assert "card that is clickable" not in "".join(row for row in content.splitlines() if row.startswith("[e"))


async def test_a_labelled_control_shows_its_label_once_with_its_state(page):
    await page.set_content(FORM)
    lines = (await observe(page)).content.splitlines()
    assert lines[:2] == ['[e1] checkbox "Wombat" [checked]', '[e2] checkbox "Quokka"'], lines
    assert '[e3] textbox "Name": Kim' in lines, lines
    assert sum(line.count("Wombat") for line in lines) == 1


LOOSE = """<title>Loose</title><div><p><label>Password</label><input type="password"></p>
<p><label>Verify password</label><input type="password"></p><label>Just text</label><button>Submit</button></div>"""


async def test_a_label_tied_to_no_control_names_the_field_after_it_once(page):
    await page.set_content(LOOSE)
    lines = (await observe(page)).content.splitlines()
    assert lines == ['[e1] password "Password"', '[e2] password "Verify password"', "Just text", '[e3] button "Submit"']


TWO_FIELDS = """<title>Two</title><form onsubmit="document.title='sent ' + this.a.value + ' ' + this.b.value; return false">
<input name="a" aria-label="First"><input name="b" aria-label="Second"><button>Go</button></form>"""


async def test_typing_presses_enter_only_once_no_other_field_of_the_form_is_empty(page):
    await page.set_content(TWO_FIELDS)
    content = (await observe(page)).content
    await perform(page, Action("type", ref=ref(content, 'textbox "First"'), text="x"))
    assert await page.title() == "Two"  # Enter here would submit Second empty
    await perform(page, Action("type", ref=ref(content, 'textbox "Second"'), text="y"))
    assert await page.title() == "sent x y"
