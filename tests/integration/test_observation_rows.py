"""The page view keeps structure (snapshot.js in real Chromium): a table row, list item or card
is one line with its cells in order, a row whose leading cells are empty continues the row
above it, form fields carry their labels, values and checked state, long rows wrap without
losing a ref, and every control of a MiniWoB++ task page gets a ref the actions can use.
Judged on markup shaped like the real sites: the indexer's fixtures and the replica web."""
import os
import pathlib
import re

import pytest
import pytest_asyncio
from playwright.async_api import async_playwright

from bench import miniwob
from dev.replica import server as replica
from services.browser.agent.actions import Action, perform
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


def line_with(content: str, text: str) -> str:
    found = [line for line in content.splitlines() if text in line]
    assert len(found) == 1, (text, content)
    return found[0]


async def test_a_story_line_carries_its_rank_points_user_and_comments(page):
    await page.set_content((FIXTURES / "hn_front.html").read_text())
    content = (await observe(page)).content
    top = line_with(content, "A look at the io_uring zero-copy receive path")
    assert top.startswith("1. ") and "637 points by" in top, top
    assert 'link "jsnell"' in top and 'link "1,204 comments"' in top, top
    second = line_with(content, "Ask HN: How do you keep a home lab quiet?")
    assert second.startswith("2. ") and "88 points" in second and 'link "1 comment"' in second, second
    job = line_with(content, "Tidewater (YC S23) Is Hiring")  # a job post has no score: it borrows none
    assert job.startswith("3. ") and "points" not in job and 'link "1 hour ago"' in job, job
    assert "|" not in content.replace('" | "', ""), content


async def test_every_story_of_the_replica_front_page_is_one_line_in_rank_order(page):
    site = replica.serve("news.ycombinator.com", 0)
    try:
        await page.goto(f"http://127.0.0.1:{site.server_address[1]}/news")
        content = (await observe(page, window=0)).content  # the first window: the top stories
        ranks = [int(m) for m in re.findall(r"^(\d+)\. ", content, re.M)]
        assert ranks[:5] == [1, 2, 3, 4, 5], content
        third = line_with(content, "SQLite as an application file format (2014)")
        assert third.startswith("3. ") and "275 points" in third and 'link "drh_reader"' in third, third
        assert 'link "24 comments"' in third and "412 points" not in third, third
    finally:
        site.shutdown()


ROWS = """<table><tr><td>Kettle</td><td>$34.99</td></tr><tr><td></td><td>ships Friday</td></tr>
<tr class="spacer" style="height:5px"></tr><tr><td></td><td><a href="#next">More</a></td></tr></table>
<ul><li>Alpha <span>·</span> <a href="#a">open</a></li><li>Beta <span>|</span> <a href="#b">open</a></li></ul>"""


async def test_a_row_with_empty_leading_cells_continues_only_the_row_right_above(page):
    await page.set_content(ROWS)
    lines = (await observe(page)).content.splitlines()
    assert lines[0] == "Kettle · $34.99 — ships Friday", lines
    assert lines[1].endswith('link "More"') and "Kettle" not in lines[1], lines
    assert lines[2:] == ['Alpha [e2] link "open"', 'Beta [e3] link "open"'], lines  # separators are not said


FORM = """<form><h2>Shipping</h2>
<div><label for="n">Full name</label> <input id="n" value="Kim Lee"></div>
<div><label for="p">Password</label> <input id="p" type="password" value="hunter22-secret"></div>
<div><label><input type="radio" name="s" checked> Standard</label> <label><input type="radio" name="s"> Express</label></div>
<div><label for="c">Country</label> <select id="c"><option>Canada</option><option selected>Norway</option></select></div>
<div><label><input type="checkbox"> Gift wrap</label></div>
<table><tr><td>Card PIN</td><td><input type="password" aria-label="PIN" value="9911"></td></tr></table>
<textarea aria-label="Notes">Leave at the door</textarea><button>Pay</button></form>"""


async def test_form_fields_carry_their_labels_values_and_state_and_never_a_password(page):
    await page.set_content(FORM)
    view = await observe(page)
    lines = view.content.splitlines()
    assert lines[:5] == ["## Shipping", '[e1] textbox "Full name": Kim Lee', '[e2] password "Password" [filled]',
                         '[e3] radio "Standard" [checked] [e4] radio "Express"', '[e5] combobox "Country": Canada | *Norway'], lines
    assert lines[5:8] == ['[e6] checkbox "Gift wrap"', 'Card PIN [e7] password "PIN" [filled]',
                          '[e8] textbox "Notes": Leave at the door [e9] button "Pay"'], lines
    assert view.content.count("Full name") == 1 and view.asks_login
    assert "hunter22" not in view.content and "9911" not in view.content


async def test_a_huge_row_wraps_at_its_pieces_and_keeps_every_ref(page):
    cells = "".join(f'<td><a href="#i{i}">item number {i}</a> with a note</td>' for i in range(300))
    await page.set_content(f"<table><tr>{cells}</tr></table><p>After the table</p>")
    first = await observe(page)
    windows = [first.content] + [(await observe(page, w)).content for w in range(1, first.windows)]
    lines = "\n".join(windows).splitlines()
    assert all(len(line) <= 600 for line in lines), max(map(len, lines))
    assert all(line.startswith("  ") for line in lines[1:-1]) and lines[-1] == "After the table"
    refs = re.findall(r'\[(e\d+)\] link "item number (\d+)"', "\n".join(lines))
    assert [int(n) for _, n in refs] == list(range(300)) and len({r for r, _ in refs}) == 300
    await perform(page, Action("click", ref=refs[299][0]))
    assert page.url.endswith("#i299")


CHECKBOXES = """<div id="wrap"><div id="query">Select qd, Tx and click Submit.</div><div id="area"><div id="boxes">
<label><input type="checkbox" id="ch0">qd</label><br><label><input type="checkbox" id="ch1">kQp</label><br>
<label><input type="checkbox" id="ch2">Tx</label><br></div><br><button id="subbtn">Submit</button></div></div>"""


async def test_a_miniwob_checkbox_page_is_one_control_per_line_and_its_refs_act(page):
    await page.set_content(CHECKBOXES)
    lines = (await observe(page)).content.splitlines()
    assert lines == ["Select qd, Tx and click Submit.", '[e1] checkbox "qd"', '[e2] checkbox "kQp"',
                     '[e3] checkbox "Tx"', '[e4] button "Submit"'], lines
    await perform(page, Action("click", ref="e3"))
    assert '[e3] checkbox "Tx" [checked]' in (await observe(page)).content


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
