"""Step screenshots through Envoy: GET /v1/tasks/{id}/steps/{n}/screenshot on the real stack.

JPEGs are checked by their markers and SOF header here, and their pixels are read back by a
separate Chromium (a canvas), not by the code that took them."""
import base64
import datetime
import json
import re
import struct
import uuid

import httpx
import pytest
from playwright.sync_api import sync_playwright

from services.common import ids, mongo
from services.common.settings import MongoSettings
from services.scheduler import screenshots
from tests.conftest import wait_terminal
from tests.integration.test_agent import submit
from tests.scripted_llm import finish, finish_with_title

HN = "https://news.ycombinator.com/"
SECRET = "hunter2hunter2"


def jpeg_size(data: bytes) -> tuple[int, int]:
    """(width, height) from the JPEG's start-of-frame segment; asserts the SOI and EOI markers."""
    assert data[:2] == b"\xff\xd8" and data[-2:] == b"\xff\xd9", "not a whole JPEG"
    at = 2
    while at < len(data):
        assert data[at] == 0xFF, f"no marker at {at}"
        marker, length = data[at + 1], struct.unpack(">H", data[at + 2:at + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2):  # SOF0/1/2: precision, height, width
            height, width = struct.unpack(">HH", data[at + 5:at + 9])
            return width, height
        at += 2 + length
    raise AssertionError("no start-of-frame segment")


def screenshot(client: httpx.Client, task_id: str, n: int) -> httpx.Response:
    return client.get(f"/v1/tasks/{task_id}/steps/{n}/screenshot")


def test_each_browser_step_has_a_small_jpeg_of_the_viewport(api, llm):
    script = llm.script(finish_with_title)
    record = wait_terminal(api, submit(api, script, startUrl=HN)["taskId"])
    assert record["status"] == "completed", record
    steps = record["stepSummaries"]
    assert [(s["type"], s["hasScreenshot"]) for s in steps] == [("navigation", True), ("finalize", True)]
    for step in steps:
        response = screenshot(api, record["taskId"], step["n"])
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "image/jpeg"
        width, height = jpeg_size(response.content)
        assert 0 < width <= 1280 and 0 < height <= 800
        assert len(response.content) < 300_000, f"{len(response.content)} bytes"


def page_with_password_field(path: str):
    """A text field showing a value beside an empty password field, both large, at fixed places."""
    html = b"""<!doctype html><title>Sign in</title><style>
      body { margin: 0; background: #fff }
      input { position: absolute; left: 40px; width: 480px; height: 80px; font: 56px monospace;
              border: 0; padding: 0 8px; background: #fff; color: #000 }
    </style>
    <input aria-label="Name" value="WMWMWMWMWMWM" style="top: 40px">
    <input type="password" aria-label="Password" style="top: 200px">"""
    return html, []


def region_colours(jpeg: bytes, x: int, y: int, w: int, h: int) -> dict:
    """Per channel min and max over a rectangle of the decoded image."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.set_content(f'<img id="shot" src="data:image/jpeg;base64,{base64.b64encode(jpeg).decode()}">')
            page.wait_for_function("document.getElementById('shot').complete")
            return page.evaluate("""([x, y, w, h]) => {
                const img = document.getElementById('shot');
                const canvas = document.createElement('canvas');
                canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
                const ctx = canvas.getContext('2d');
                ctx.drawImage(img, 0, 0);
                const px = ctx.getImageData(x, y, w, h).data;
                const out = {min: [255, 255, 255], max: [0, 0, 0]};
                for (let i = 0; i < px.length; i += 4)
                  for (let c = 0; c < 3; c++) {
                    out.min[c] = Math.min(out.min[c], px[i + c]); out.max[c] = Math.max(out.max[c], px[i + c]);
                  }
                return out;
            }""", [x, y, w, h])
        finally:
            browser.close()


def test_a_password_typed_into_a_page_is_masked_in_the_screenshot(api, llm, local_site):
    start = local_site(page_with_password_field) + "/"
    script = llm.script(
        lambda p: {"action": "type", "ref": re.search(r'\[(e\d+)\] password', p).group(1), "text": SECRET},
        finish("typed"))
    record = wait_terminal(api, submit(api, script, startUrl=start)["taskId"])
    assert [(s["type"], s["success"]) for s in record["stepSummaries"]][:2] == [
        ("navigation", True), ("execution", True)], record
    assert "[filled]" in script.prompts[1]  # the password really is in the field when the step is shot
    jpeg = screenshot(api, record["taskId"], 2).content
    # Inside the password field (200..280 down, 40..520 across, a margin for JPEG blocks): one flat colour.
    masked = region_colours(jpeg, 56, 212, 448, 56)
    assert all(hi - lo <= 40 for lo, hi in zip(masked["min"], masked["max"], strict=True)), masked
    assert masked["min"][0] >= 200 and masked["max"][1] <= 60 and masked["min"][2] >= 200, masked  # magenta
    # The control: the text field's value is plainly drawn (dark glyphs on white).
    shown = region_colours(jpeg, 56, 52, 448, 56)
    assert min(shown["min"]) < 80 and max(shown["max"]) > 200, shown


def test_another_business_gets_404_as_for_an_unknown_task(api, llm, stack):
    record = wait_terminal(api, submit(api, llm.script(finish_with_title), startUrl=HN)["taskId"])
    assert screenshot(api, record["taskId"], 1).status_code == 200
    other = json.loads(stack.admin("business", "create", f"other-{uuid.uuid4().hex[:8]}", "--json"))
    with httpx.Client(base_url=stack.base_url, headers={"Authorization": f"Bearer {other['apiKey']}"}) as client:
        foreign = screenshot(client, record["taskId"], 1)
        unknown = screenshot(client, ids.new_id(), 1)
    assert (foreign.status_code, foreign.json()["message"]) == (404, "task not found")
    assert (unknown.status_code, unknown.json()["message"]) == (404, "task not found")
    with httpx.Client(base_url=stack.base_url) as anonymous:
        assert screenshot(anonymous, record["taskId"], 1).status_code == 401


def test_a_step_without_a_screenshot_is_404_naming_the_step(api, llm):
    # No startUrl: the first step resolves the start page before any page is open.
    script = llm.script({"url": HN}, finish_with_title)
    record = wait_terminal(api, submit(api, script)["taskId"])
    assert [(s["type"], s["hasScreenshot"]) for s in record["stepSummaries"]] == [
        ("discovery", False), ("navigation", True), ("finalize", True)], record
    missing = screenshot(api, record["taskId"], 1)
    assert missing.status_code == 404
    assert missing.json()["message"] == "step 1 of this task has no screenshot"
    assert screenshot(api, record["taskId"], 4).json()["message"] == "step 4 of this task has no screenshot"
    zero = screenshot(api, record["taskId"], 0)
    assert zero.status_code == 400 and zero.json()["message"].startswith("n:")
    word = api.get(f"/v1/tasks/{record['taskId']}/steps/first/screenshot")
    assert word.status_code == 400 and "n" in word.json()["message"], word.text


@pytest.fixture
async def db(stack):
    database = mongo.connect(MongoSettings(mongodb_uri=stack.mongodb_uri))
    yield database
    await database.client.close()


async def test_retention_deletes_screenshots_older_than_the_setting(api, llm, db):
    record = wait_terminal(api, submit(api, llm.script(finish_with_title), startUrl=HN)["taskId"])
    assert screenshot(api, record["taskId"], 1).status_code == 200
    week = datetime.timedelta(hours=168)
    soon = datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=167)
    await screenshots.expire(db, week, now=lambda: soon)  # not a week old yet: kept
    assert screenshot(api, record["taskId"], 1).status_code == 200
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=169)
    assert await screenshots.expire(db, week, now=lambda: later) >= 2
    assert [screenshot(api, record["taskId"], n).status_code for n in (1, 2)] == [404, 404]
