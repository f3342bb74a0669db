"""The page store never serves data older than the site's max age: it reads the page live
first, or the question is declined."""
from stablebrowse.indexer.v1 import indexer_pb2

from services.indexer.fetch import Fetcher
from services.indexer.servicer import IndexerServicer
from services.indexer.sites import all_adapters
from services.indexer.sites.hn import FRONT, HackerNews
from services.indexer.store import PageStore
from dev.replica import server
from dev.stack.config import free_port


class Clock:
    def __init__(self):
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


QUESTION = indexer_pb2.AnswerRequest(task="What is the top story on Hacker News?")


async def test_a_stale_page_is_read_live_before_answering():
    site = server.serve("news.ycombinator.com", 0)
    clock = Clock()
    fetcher = Fetcher({"news.ycombinator.com": f"127.0.0.1:{site.server_address[1]}"})
    store = PageStore(None, fetcher, all_adapters(), clock)
    try:
        first = await store.refresh(HackerNews(), FRONT)
        clock.now += HackerNews.max_age_s + 1
        reply = await IndexerServicer(store).answer(QUESTION)
        assert reply.answered and "fetched 0s ago" in reply.steps[1].msg
        assert store.pages[FRONT].fetched_at == clock.now > first.fetched_at
    finally:
        await fetcher.close()
        site.shutdown()
        site.server_close()


async def test_a_stale_page_that_cannot_be_read_is_declined():
    site = server.serve("news.ycombinator.com", 0)
    clock = Clock()
    fetcher = Fetcher({"news.ycombinator.com": f"127.0.0.1:{site.server_address[1]}"})
    store = PageStore(None, fetcher, all_adapters(), clock)
    try:
        await store.refresh(HackerNews(), FRONT)
        servicer = IndexerServicer(store, live_timeout_s=0.5)
        clock.now += HackerNews.max_age_s - 1
        assert (await servicer.answer(QUESTION)).answered  # still fresh: no fetch needed
        fetcher.host_map["news.ycombinator.com"] = f"127.0.0.1:{free_port()}"  # the site goes away
        assert (await servicer.answer(QUESTION)).answered
        clock.now += 2
        reply = await servicer.answer(QUESTION)
        assert not reply.answered and reply.decline_reason == "no fresh copy of the page"
    finally:
        await fetcher.close()
        site.shutdown()
        site.server_close()


async def test_pages_with_unexpected_markup_are_not_indexed():
    assert HackerNews().parse(FRONT, "<html><body><p>Service unavailable</p></body></html>") is None
    for adapter in all_adapters():
        assert adapter.parse(adapter.pages()[0], "<html><body></body></html>") is None


async def test_pages_read_on_demand_are_capped_oldest_first():
    site = server.serve("news.ycombinator.com", 0)
    clock = Clock()
    fetcher = Fetcher({"news.ycombinator.com": f"127.0.0.1:{site.server_address[1]}"})
    store = PageStore(None, fetcher, all_adapters(), clock)
    store.MAX_ON_DEMAND = 2
    try:
        await store.refresh(HackerNews(), FRONT)
        for n in (1, 2, 3):
            clock.now += 1
            await store.refresh(HackerNews(), f"{FRONT}item?id=4100000{n}")
        assert sorted(store.pages) == [FRONT, f"{FRONT}item?id=41000002", f"{FRONT}item?id=41000003"]
    finally:
        await fetcher.close()
        site.shutdown()
        site.server_close()
