"""Indexed answers (the fast path) against the browser path, on one running stack.

Every supported kind of question is asked twice: by a business with indexed answers on,
and by one with them off (`stablebrowse-admin business set-fastpath … off`), whose task
runs in Chromium with a scripted model that reads the answer off the page. Both answers
must equal what the replica content says."""
import json
import re
import time
import uuid

import httpx
import pytest

from dev.replica.content import airbnb, amazon, hn, wikipedia
from tests import page_readers as read
from tests.conftest import wait_terminal
from tests.scripted_llm import Delay, finish

HN = "https://news.ycombinator.com/"
ASK = "https://news.ycombinator.com/item?id=41000004"
KETTLE, TENT, EARBUDS = (f"https://www.amazon.com/dp/{p['asin']}" for p in amazon.PRODUCTS)
LISBON, KYOTO = "https://www.airbnb.com/s/Lisbon/homes", "https://www.airbnb.com/s/Kyoto/homes"
QUILL = "https://en.wikipedia.org/wiki/Quill_(programming_language)"
PORT_ELLERY = "https://en.wikipedia.org/wiki/Port_Ellery"


def infobox_value(article: dict, label: str) -> str:
    """A field of an article's infobox as the replica content writes it, markup removed."""
    for raw, value in article["infobox"]["rows"]:
        clean = re.sub(r"\[\[(?:[^\]|]*\|)?([^\]]*)\]\]", r"\1", raw).replace("&#160;", " ").strip(" •")
        if clean == label:
            return re.sub(r"\[\[(?:[^\]|]*\|)?([^\]]*)\]\]", r"\1", value)
    raise KeyError(label)


TOP, ASK_STORY = hn.build_stories()[0], hn.build_stories()[3]
KETTLE_DATA, TENT_DATA, EARBUDS_DATA = amazon.PRODUCTS
LISBON_ROWS = airbnb.PLACES["Lisbon"]["listings"]
KYOTO_ROWS = airbnb.PLACES["Kyoto"]["listings"]


def listing(row: tuple, rated: bool = False) -> str:
    lid, kind, hood, name, *_ = row
    price, rating = row[8], row[9]
    return f"{name} ({kind} in {hood})" + (f", rated {rating:.2f}" if rated else "") + f", ${price} per night"


# (question, startUrl or None, page the browser opens, reader, the answer the replica content gives)
CASES = [
    ("What is the top story on Hacker News?", None, HN, read.hn_title, TOP.title),
    ("What's #1 on Hacker News right now?", None, HN, read.hn_title, TOP.title),
    ("What is the title of the top story?", HN, HN, read.hn_title, TOP.title),
    ("How many points does the top story on HN have?", None, HN, read.hn_points, f"{TOP.points} points"),
    ("Who posted the first story on news.ycombinator.com?", None, HN, read.hn_author, TOP.user),
    ("How many comments does the top post have?", HN, HN, read.hn_comments, f"{TOP.count} comments"),
    ("What is the title of this post?", ASK, ASK, read.item_title, ASK_STORY.title),
    ("How many points does this story have?", ASK, ASK, read.item_points, f"{ASK_STORY.points} points"),
    ("Who posted this?", ASK, ASK, read.item_author, ASK_STORY.user),
    ("How many comments are there on this story?", ASK, ASK, read.item_comments, f"{ASK_STORY.count} comments"),
    ("Who designed Quill according to Wikipedia?", None, QUILL, read.infobox("Designed by"),
     infobox_value(wikipedia.QUILL, "Designed by")),
    ("What is the license of Quill (programming language) on Wikipedia?", None, QUILL, read.infobox("License"),
     infobox_value(wikipedia.QUILL, "License")),
    ("What is the nickname of Port Ellery?", PORT_ELLERY, PORT_ELLERY, read.infobox("Nickname"),
     infobox_value(wikipedia.PORT_ELLERY, "Nickname")),
    ("Who is the mayor?", PORT_ELLERY, PORT_ELLERY, read.infobox("Mayor"), infobox_value(wikipedia.PORT_ELLERY, "Mayor")),
    ("What is the price of the Larkfield kettle on Amazon?", None, KETTLE, read.amazon_price, f"${KETTLE_DATA['price']}"),
    ("What is the rating of this product?", EARBUDS, EARBUDS, read.amazon_rating,
     f"{EARBUDS_DATA['rating']} out of 5 stars"),
    ("How many ratings does the Corvina earbuds listing have on Amazon?", None, EARBUDS, read.amazon_reviews,
     f"{EARBUDS_DATA['ratings']:,} ratings"),
    ("Is it in stock?", TENT, TENT, read.amazon_stock, TENT_DATA["stock"]),
    ("What is the full title of this product?", KETTLE, KETTLE, read.amazon_title, KETTLE_DATA["title"]),
    ("What is the cheapest listing in Lisbon on Airbnb?", None, LISBON, read.airbnb_cheapest,
     listing(min(LISBON_ROWS, key=lambda r: r[8]))),
    ("Which is the highest rated place to stay in Kyoto on Airbnb?", None, KYOTO, read.airbnb_best,
     listing(max(KYOTO_ROWS, key=lambda r: r[9] or 0), rated=True)),
    ("What is the first listing?", LISBON, LISBON, read.airbnb_first, listing(LISBON_ROWS[0])),
    ("How many places are there in Kyoto on Airbnb?", None, KYOTO, read.airbnb_count, f"{len(KYOTO_ROWS)} places in Kyoto"),
]


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


@pytest.mark.parametrize("question,start_url,page,reader,expected", CASES, ids=[c[0] for c in CASES])
def test_fast_and_browser_paths_give_the_same_answer(api, browser_only, llm, question, start_url, page, reader, expected):
    fast = run(api, question, start_url)
    assert_indexed(fast, page)

    replies = ([] if start_url else [read.go(page)]) + [read.reading(reader)]
    script = llm.script(*replies, marker=question)
    try:
        slow = run(browser_only, question, start_url)
    finally:
        llm.drop(script)
    assert slow["status"] == "completed", slow
    assert "navigation" in [s["type"] for s in slow["stepSummaries"]]
    assert slow["visitedUrls"][0] == page
    assert fast["result"] == slow["result"] == expected


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
    assert fast["structured_content"] == slow["structured_content"] == {"title": TOP.title, "points": TOP.points,
                                                                       "author": TOP.user}
    assert fast["result"] == slow["result"] == TOP.title


def test_a_schema_the_index_does_not_cover_goes_to_the_browser(api, llm):
    schema = {"type": "object", "properties": {"title": {"type": "string"}, "summary": {"type": "string"}},
              "required": ["title", "summary"]}
    script = llm.script(read.reading(read.hn_title, lambda text: {"title": read.hn_title(text), "summary": "a B-tree"}))
    record = run(api, f"What is the top story on Hacker News? ({script.marker})", HN, schema=schema)
    assert record["status"] == "completed", record
    assert record["stepSummaries"][0]["type"] == "navigation"
    assert record["structured_content"] == {"title": TOP.title, "summary": "a B-tree"}


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
    stall = llm.script(Delay(8, finish("slow")))
    slow_ids = [api.post("/v1/tasks", json={"endUserId": f"slow-{i}", "task": f"title? ({stall.marker})",
                                            "startUrl": HN}).json()["taskId"] for i in range(2)]
    wait_for_prompts(stall, 2)
    fast = run(api, "What is the top story on Hacker News?", None)
    assert_indexed(fast, HN)
    assert [api.get(f"/v1/tasks/{t}").json()["status"] for t in slow_ids] == ["running", "running"]
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
    age = datetime.datetime.now(datetime.timezone.utc) - doc["fetchedAt"]
    assert datetime.timedelta(0) <= age < datetime.timedelta(minutes=5)
