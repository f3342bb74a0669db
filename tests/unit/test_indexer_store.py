"""The page store never serves data older than the site's max age: it reads the page live
first, or the question is declined. It is bounded: the kept-fresh pages plus a capped
number read on demand, in memory and in MongoDB (a real MongoDB-protocol server here)."""
import asyncio
import datetime
import pathlib
import subprocess
import time
import uuid

import pymongo
import pytest

from dev.replica import server
from dev.stack.ports import free_port
from dev.stack.probes import mongo_ping
from services.common import mongo
from services.indexer.fetch import Fetcher
from services.indexer.servicer import IndexerServicer
from services.indexer.sites import all_adapters
from services.indexer.sites.hn import FRONT, HackerNews
from services.indexer.store import PageStore, kept_fresh
from stablebrowse.indexer.v1 import indexer_pb2

REPO = pathlib.Path(__file__).resolve().parents[2]


class Clock:
    def __init__(self):
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


QUESTION = indexer_pb2.AnswerRequest(task="What is the top story on Hacker News?")
ITEMS = [f"{FRONT}item?id=4100000{n}" for n in (1, 2, 3, 4, 5)]


@pytest.fixture
async def hn_site():
    site = server.serve("news.ycombinator.com", 0)
    fetcher = Fetcher({"news.ycombinator.com": f"127.0.0.1:{site.server_address[1]}"})
    yield fetcher
    await fetcher.close()
    site.shutdown()
    site.server_close()


@pytest.fixture(scope="module")
def mongodb_uri(tmp_path_factory):
    """A MongoDB-protocol server of its own (the dev stack's, tools/mongo)."""
    port = free_port()
    data = tmp_path_factory.mktemp("mongo") / "indexer.mv"
    proc = subprocess.Popen(["bash", str(REPO / "tools/mongo/run-mongo.sh"), str(data), str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    uri = f"mongodb://127.0.0.1:{port}/"
    deadline = time.monotonic() + 120
    while not asyncio.run(mongo_ping(uri)):
        assert proc.poll() is None and time.monotonic() < deadline, "the MongoDB-protocol server did not start"
    yield uri
    proc.terminate()
    proc.wait(timeout=30)


@pytest.fixture
async def db(mongodb_uri):
    client = pymongo.AsyncMongoClient(mongodb_uri, tz_aware=True)
    yield client[f"indexer_{uuid.uuid4().hex[:8]}"]
    await client.close()


async def stored(db) -> list[str]:
    return sorted([doc["_id"] async for doc in db[mongo.INDEXED_PAGES].find({}, {"_id": 1})])


async def test_a_stale_page_is_read_live_before_answering(hn_site):
    clock = Clock()
    store = PageStore(None, hn_site, all_adapters(), clock, kept=[FRONT])
    first = await store.refresh(HackerNews(), FRONT)
    clock.now += HackerNews.max_age_s + 1
    reply = await IndexerServicer(store).answer(QUESTION)
    assert reply.answered and "fetched 0s ago" in reply.steps[1].msg
    assert store.pages[FRONT].fetched_at == clock.now > first.fetched_at


async def test_a_stale_page_that_cannot_be_read_is_declined(hn_site):
    clock = Clock()
    store = PageStore(None, hn_site, all_adapters(), clock, kept=[FRONT])
    await store.refresh(HackerNews(), FRONT)
    servicer = IndexerServicer(store, live_timeout_s=0.5)
    clock.now += HackerNews.max_age_s - 1
    assert (await servicer.answer(QUESTION)).answered  # still fresh: no fetch needed
    hn_site.host_map["news.ycombinator.com"] = f"127.0.0.1:{free_port()}"  # the site goes away
    assert (await servicer.answer(QUESTION)).answered
    clock.now += 2
    reply = await servicer.answer(QUESTION)
    assert not reply.answered and reply.decline_reason == "no fresh copy of the page"


def test_pages_with_unexpected_markup_are_not_indexed():
    assert HackerNews().parse(FRONT, "<html><body><p>Service unavailable</p></body></html>") is None
    urls = ["https://news.ycombinator.com/", "https://en.wikipedia.org/wiki/Lisbon",
            "https://www.amazon.com/dp/B0CXR4T2LM", "https://www.airbnb.com/s/Lisbon/homes"]
    for adapter, url in zip(all_adapters(), urls, strict=False):
        assert adapter.parse(url, "<html><body></body></html>") is None


def test_kept_fresh_pages_are_canonical_urls_of_known_sites():
    adapters = all_adapters()
    assert kept_fresh(" https://news.ycombinator.com/news, https://www.amazon.com/Some-Kettle/dp/b0d7k3lq9x/ref=x,",
                      adapters) == ["https://news.ycombinator.com/", "https://www.amazon.com/dp/B0D7K3LQ9X"]
    assert kept_fresh("", adapters) == []
    for bad in ("https://example.com/", "https://en.wikipedia.org/wiki/Special:Random"):
        with pytest.raises(ValueError, match="kept_fresh_pages"):
            kept_fresh(bad, adapters)


async def test_pages_read_on_demand_are_capped_oldest_first_in_memory(hn_site):
    clock = Clock()
    store = PageStore(None, hn_site, all_adapters(), clock, kept=[FRONT], max_on_demand=2)
    await store.refresh(HackerNews(), FRONT)
    for url in ITEMS[:3]:
        clock.now += 1
        await store.refresh(HackerNews(), url)
    assert sorted(store.pages) == [FRONT, ITEMS[1], ITEMS[2]]


async def test_mongodb_keeps_the_kept_pages_and_the_newest_read_on_demand(hn_site, db):
    clock = Clock()
    store = PageStore(db, hn_site, all_adapters(), clock, kept=[FRONT], max_on_demand=2)
    await store.refresh(HackerNews(), FRONT)
    for url in ITEMS[:4]:
        clock.now += 1
        await store.refresh(HackerNews(), url)
        await store.settled()
    assert await stored(db) == sorted([FRONT, ITEMS[2], ITEMS[3]])


async def test_pages_past_their_max_age_are_neither_loaded_nor_kept_in_mongodb(hn_site, db):
    clock = Clock()
    writer = PageStore(db, hn_site, all_adapters(), clock, kept=[FRONT])
    await writer.refresh(HackerNews(), ITEMS[0])
    clock.now += HackerNews.max_age_s + 1
    await writer.refresh(HackerNews(), ITEMS[1])

    restarted = PageStore(db, hn_site, all_adapters(), clock, kept=[FRONT])
    assert await restarted.load() == 1
    assert list(restarted.pages) == [ITEMS[1]]
    await writer.settled()  # the second on-demand read trimmed MongoDB: the expired copy is gone
    assert await stored(db) == [ITEMS[1]]


async def test_the_warm_start_is_bounded_newest_first(hn_site, db):
    clock = Clock()
    writer = PageStore(db, hn_site, all_adapters(), clock, kept=[FRONT], max_on_demand=10)
    for url in [FRONT, *ITEMS]:
        clock.now += 1
        await writer.refresh(HackerNews(), url)
    await writer.settled()

    restarted = PageStore(db, hn_site, all_adapters(), clock, kept=[FRONT], max_on_demand=2)
    await restarted.load()
    assert sorted(restarted.pages) == sorted([FRONT, ITEMS[3], ITEMS[4]])


async def test_a_copy_older_than_the_one_in_memory_is_not_loaded(hn_site, db):
    clock = Clock()
    store = PageStore(db, hn_site, all_adapters(), clock, kept=[FRONT])
    page = await store.refresh(HackerNews(), FRONT)  # the refresher was first
    await db[mongo.INDEXED_PAGES].update_one({"_id": FRONT}, {"$set": {
        "fetchedAt": datetime.datetime.fromtimestamp(clock.now - 5, datetime.UTC)}})
    assert await store.load() == 0 and store.pages[FRONT] is page
