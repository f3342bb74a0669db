"""Indexed answers (the fast path) against the browser path, on one running stack.

Every supported kind of question is asked twice: by a business with indexed answers on,
and by one with them off (`stablebrowse-admin business set-fastpath … off`), whose task
runs in Chromium with a scripted model that reads the bare value off the rendered page
(tests/page_readers.py). Both are checked against expectations typed by hand from the
replica's pages: the indexed answer's text, and the value the page shows."""
import json
import time
import uuid

import httpx
import pytest

from dev.replica.content import hn
from tests import page_readers as read
from tests.conftest import wait_terminal
from tests.scripted_llm import Hold, finish

HN = "https://news.ycombinator.com/"
ASK = "https://news.ycombinator.com/item?id=41000004"
KETTLE, TENT, EARBUDS = (f"https://www.amazon.com/dp/{asin}" for asin in ("B0D7K3LQ9X", "B0C9XW2M4R", "B0F1TQ8ZJH"))
LISBON, KYOTO = "https://www.airbnb.com/s/Lisbon/homes", "https://www.airbnb.com/s/Kyoto/homes"
QUILL = "https://en.wikipedia.org/wiki/Quill_(programming_language)"
PORT_ELLERY = "https://en.wikipedia.org/wiki/Port_Ellery"

TOP = "Show HN: A tiny B-tree in 300 lines of Rust"
ASK_TITLE = "Ask HN: What are you working on this week?"
KETTLE_TITLE = ("Larkfield Electric Kettle, 1.7L Stainless Steel Cordless Tea Kettle with Auto Shut-Off and Boil-Dry "
                "Protection, BPA-Free, Brushed Silver")

# (question, startUrl or None, page the browser opens, reader, the indexed answer, the value the page shows)
CASES = [
    ("What is the top story on Hacker News?", None, HN, read.hn_title, TOP, TOP),
    ("What's #1 on Hacker News right now?", None, HN, read.hn_title, TOP, TOP),
    ("What is the title of the top story?", HN, HN, read.hn_title, TOP, TOP),
    ("How many points does the top story on HN have?", None, HN, read.hn_points, "412 points", "412"),
    ("Who posted the first story on news.ycombinator.com?", None, HN, read.hn_author, "ferris", "ferris"),
    ("How many comments does the top post have?", HN, HN, read.hn_comments, "42 comments", "42"),
    ("What is the title of this post?", ASK, ASK, read.item_title, ASK_TITLE, ASK_TITLE),
    ("How many points does this story have?", ASK, ASK, read.item_points, "164 points", "164"),
    ("Who posted this?", ASK, ASK, read.item_author, "quietcompiler", "quietcompiler"),
    ("How many comments are there on this story?", ASK, ASK, read.item_comments, "45 comments", "45"),
    ("Who designed Quill according to Wikipedia?", None, QUILL, read.infobox("Designed by"),
     "Maren Brandvold, Tomasz Wielgus", "Maren Brandvold, Tomasz Wielgus"),
    ("What is the license of Quill (programming language) on Wikipedia?", None, QUILL, read.infobox("License"),
     "Apache License 2.0", "Apache License 2.0"),
    ("What is the nickname of Port Ellery?", PORT_ELLERY, PORT_ELLERY, read.infobox("Nickname"),
     "The Lantern City", "The Lantern City"),
    ("Who is the mayor?", PORT_ELLERY, PORT_ELLERY, read.infobox("Mayor"), "Dana Whitcombe", "Dana Whitcombe"),
    ("What is the price of the Larkfield kettle on Amazon?", None, KETTLE, read.amazon_price, "$34.99", "$34.99"),
    ("What is the rating of this product?", EARBUDS, EARBUDS, read.amazon_rating, "4.4 out of 5 stars", "4.4"),
    ("How many ratings does the Corvina earbuds listing have on Amazon?", None, EARBUDS, read.amazon_reviews,
     "7,905 ratings", "7,905"),
    ("Is it in stock?", TENT, TENT, read.amazon_stock, "Only 3 left in stock - order soon.",
     "Only 3 left in stock - order soon."),
    ("What is the full title of this product?", KETTLE, KETTLE, read.amazon_title, KETTLE_TITLE, KETTLE_TITLE),
    ("What is the cheapest listing in Lisbon on Airbnb?", None, LISBON, read.airbnb_cheapest,
     "Private room in a plant-filled flat (Room in Arroios), $44 per night", "Private room in a plant-filled flat"),
    ("Which is the highest rated place to stay in Kyoto on Airbnb?", None, KYOTO, read.airbnb_best,
     "Tea-room house near Kinkaku-ji (Home in Kita), rated 4.97, $176 per night", "Tea-room house near Kinkaku-ji"),
    ("What is the first listing?", LISBON, LISBON, read.airbnb_first,
     "Sunlit loft with river view near the castle (Apartment in Alfama), $94 per night",
     "Sunlit loft with river view near the castle"),
    ("How many places are there in Kyoto on Airbnb?", None, KYOTO, read.airbnb_count, "12 places in Kyoto", "12"),
]


def test_each_typed_value_is_part_of_its_typed_answer():
    """The two expectations of a case say the same thing (a typo in one would show here)."""
    assert [c[0] for c in CASES if c[5] not in c[4]] == []


@pytest.fixture(scope="module")
def browser_only(stack):
    """A client for a business whose tasks always run in the browser."""
    biz = json.loads(stack.admin("business", "create", f"browser-{uuid.uuid4().hex[:8]}", "--json"))
    stack.admin("business", "set-fastpath", biz["businessId"], "off")
    with httpx.Client(base_url=stack.base_url, headers={"Authorization": f"Bearer {biz['apiKey']}"}, timeout=30) as client:
        yield client


def run(client, task: str, start_url: str | None, **body) -> dict:
    payload = {"endUserId": "pair", "task": task, **body}
    if start_url:
        payload["startUrl"] = start_url
    response = client.post("/v1/tasks", json=payload)
    assert response.status_code == 201, response.text
    return wait_terminal(client, response.json()["taskId"])


def assert_indexed(record: dict, page: str) -> None:
    assert record["status"] == "completed", record
    assert [s["type"] for s in record["stepSummaries"]] == ["discovery", "planning", "execution"], record["stepSummaries"]
    assert "indexed" in record["stepSummaries"][1]["msg"]
    assert record["visitedUrls"] == [page]
    assert record["totalSteps"] == 3 and record["durationMs"] >= 0


@pytest.mark.parametrize("question,start_url,page,reader,answer,value", CASES, ids=[c[0] for c in CASES])
def test_fast_and_browser_paths_give_the_same_answer(api, browser_only, llm, question, start_url, page, reader, answer,
                                                      value):
    fast = run(api, question, start_url)
    assert_indexed(fast, page)
    assert fast["result"] == answer

    replies = ([] if start_url else [read.go(page)]) + [read.reading(reader)]
    script = llm.script(*replies, marker=question)
    try:
        slow = run(browser_only, question, start_url)
    finally:
        llm.drop(script)
    assert slow["status"] == "completed", slow
    assert "navigation" in [s["type"] for s in slow["stepSummaries"]]
    assert slow["visitedUrls"][0] == page
    assert slow["result"] == value


SCHEMA = {"type": "object", "properties": {"title": {"type": "string"}, "points": {"type": "integer"},
                                           "author": {"type": "string"}}, "required": ["title", "points", "author"]}


def test_structured_content_is_the_same_on_both_paths(api, browser_only, llm):
    question = "What is the top story on Hacker News right now?"
    fast = run(api, question, None, schema=SCHEMA)
    assert_indexed(fast, HN)
    top = lambda text: {k: read.hn_top(text)[k] for k in ("title", "points", "author")}  # noqa: E731
    script = llm.script(read.go(HN), read.reading(read.hn_title, top), marker=question)
    try:
        slow = run(browser_only, question, None, schema=SCHEMA)
    finally:
        llm.drop(script)
    assert slow["status"] == "completed", slow
    assert fast["structured_content"] == slow["structured_content"] == {"title": TOP, "points": 412, "author": "ferris"}
    assert fast["result"] == slow["result"] == TOP


def test_a_schema_question_about_an_indexed_page_is_answered_from_the_index(api):
    schema = {"type": "object", "properties": {"title": {"type": "string"}, "points": {"type": "integer"}},
              "required": ["title", "points"]}
    record = run(api, "Give me the top story on Hacker News and its points", None, schema=schema)
    assert_indexed(record, HN)
    assert record["structured_content"] == {"title": TOP, "points": 412}
    assert record["result"] == f"{TOP}, 412 points"


def test_a_schema_the_index_does_not_cover_goes_to_the_browser(api, llm):
    schema = {"type": "object", "properties": {"title": {"type": "string"}, "summary": {"type": "string"}},
              "required": ["title", "summary"]}
    script = llm.script(read.reading(read.hn_title, lambda text: {"title": read.hn_title(text), "summary": "a B-tree"}))
    record = run(api, f"What is the top story on Hacker News? ({script.marker})", HN, schema=schema)
    assert record["status"] == "completed", record
    assert record["stepSummaries"][0]["type"] == "navigation"
    assert record["structured_content"] == {"title": TOP, "summary": "a B-tree"}


@pytest.mark.parametrize("question", ["What is the second story on Hacker News?", "What is the top comment on HN?",
                                      "What is the top story on Reddit?"])
def test_declined_questions_complete_on_the_browser_path(api, llm, question):
    script = llm.script(read.reading(lambda text: "read in the browser"), marker=question)
    try:
        record = run(api, question, HN)
    finally:
        llm.drop(script)
    assert record["status"] == "completed", record
    assert record["result"] == "read in the browser"
    types = [s["type"] for s in record["stepSummaries"]]
    assert types[0] == "navigation" and types[-1] == "finalize" and "planning" not in types


def test_html_dump_is_the_indexed_page(api):
    record = run(api, "What is the top story on Hacker News?", None, **{"include_html_dump": True})
    assert_indexed(record, HN)
    assert record["html_dump"] == (hn.pages()["index.html"])


def test_an_indexed_answer_does_not_wait_behind_browser_tasks(api, llm):
    # Both browser slots of the worker (concurrency 2) are busy until the model answers.
    held = Hold(finish("slow"))
    stall = llm.script(held)
    try:
        slow_ids = [api.post("/v1/tasks", json={"endUserId": f"slow-{i}", "task": f"title? ({stall.marker})",
                                                "startUrl": HN}).json()["taskId"] for i in range(2)]
        wait_for_prompts(stall, 2)
        fast = run(api, "What is the top story on Hacker News?", None)
        assert_indexed(fast, HN)
        assert [api.get(f"/v1/tasks/{t}").json()["status"] for t in slow_ids] == ["running", "running"]
    finally:
        held.release()
    assert all(wait_terminal(api, t)["result"] == "slow" for t in slow_ids)


def wait_for_prompts(script, count: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while len(script.prompts) < count:
        assert time.monotonic() < deadline, "the browser tasks never reached the model"
        time.sleep(0.05)


def test_indexed_pages_are_kept_in_mongodb_with_fetched_at(stack, api):
    import datetime

    import pymongo

    run(api, "What is the top story on Hacker News?", None)  # the front page is indexed by now
    with pymongo.MongoClient(stack.mongodb_uri, tz_aware=True) as client:
        doc = client["stablebrowse"]["indexed_pages"].find_one({"_id": HN})
    assert doc["site"] == "news.ycombinator.com" and "athing" in doc["html"]
    age = datetime.datetime.now(datetime.UTC) - doc["fetchedAt"]
    assert datetime.timedelta(0) <= age < datetime.timedelta(minutes=5)
