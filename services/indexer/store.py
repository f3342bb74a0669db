"""Indexed pages: in memory for speed, in MongoDB (`indexed_pages`, keyed by URL, with
fetchedAt) so a restarted indexer starts warm. Data is never served past its site's
max age: a stale page is read live first, or the question is declined."""
import dataclasses
import datetime
import logging
import time
import urllib.parse

from pymongo.errors import PyMongoError

from services.common import mongo
from services.indexer.fetch import Fetcher, FetchError
from services.indexer.sites import Adapter

log = logging.getLogger(__name__)


@dataclasses.dataclass
class Page:
    url: str
    html: str
    data: dict
    fetched_at: float  # epoch seconds

    def age_s(self, now: float) -> float:
        return max(0.0, now - self.fetched_at)


def host_of(url: str) -> str:
    return (urllib.parse.urlsplit(url).hostname or "").lower()


class PageStore:
    # Pages read on demand (a startUrl's article, item or product) beyond this many are
    # forgotten oldest first; the sites' own pages() are always kept.
    MAX_ON_DEMAND = 1000

    def __init__(self, db, fetcher: Fetcher, adapters: list[Adapter], clock=time.time):
        self.db = db
        self.fetcher = fetcher
        self.adapters = adapters
        self.clock = clock
        self.pages: dict[str, Page] = {}
        self.kept = {url for adapter in adapters for url in adapter.pages()}

    def adapter_for(self, url: str) -> Adapter | None:
        host = host_of(url)
        return next((a for a in self.adapters if a.owns(host)), None)

    async def load(self) -> int:
        """Reads what MongoDB holds (parsed again: data is derived from the HTML); a page
        already read since start-up is newer and kept. Best effort: MongoDB being down
        only means a cold start."""
        if self.db is None:
            return 0
        count = 0
        try:
            async for doc in self.db[mongo.INDEXED_PAGES].find({}):
                adapter = self.adapter_for(doc["_id"])
                data = adapter.parse(doc["_id"], doc["html"]) if adapter else None
                fetched = doc["fetchedAt"].timestamp()
                if data is not None and fetched > getattr(self.pages.get(doc["_id"]), "fetched_at", 0.0):
                    self.pages[doc["_id"]] = Page(doc["_id"], doc["html"], data, fetched)
                    count += 1
        except PyMongoError as exc:
            log.warning("indexed pages not loaded from MongoDB", extra={"error": type(exc).__name__})
        return count

    async def refresh(self, adapter: Adapter, url: str, timeout_s: float | None = None) -> Page:
        """Reads the page now, keeps it, and stores it; raises FetchError or ValueError."""
        html = await self.fetcher.get(url, timeout_s)
        data = adapter.parse(url, html)
        if data is None:
            raise ValueError(f"{url}: the page does not look like {adapter.host}'s {adapter.page_name}")
        page = Page(url, html, data, self.clock())
        self.pages[url] = page
        self._forget_oldest()
        if self.db is not None:
            fetched = datetime.datetime.fromtimestamp(page.fetched_at, datetime.timezone.utc)
            try:
                await self.db[mongo.INDEXED_PAGES].replace_one(
                    {"_id": url}, {"_id": url, "site": adapter.host, "html": html, "fetchedAt": fetched}, upsert=True)
            except PyMongoError as exc:  # the copy in memory still answers; the next refresh stores it
                log.warning("indexed page not stored", extra={"url": url, "error": type(exc).__name__})
        return page

    def _forget_oldest(self) -> None:
        on_demand = [p for url, p in self.pages.items() if url not in self.kept]
        for page in sorted(on_demand, key=lambda p: p.fetched_at)[:max(0, len(on_demand) - self.MAX_ON_DEMAND)]:
            del self.pages[page.url]

    def indexed(self, adapter: Adapter) -> dict[str, dict]:
        """URL -> data of every page of this site the index holds (fresh or not: for names)."""
        return {url: page.data for url, page in self.pages.items() if adapter.owns(host_of(url))}

    def fresh(self, adapter: Adapter, url: str) -> Page | None:
        page = self.pages.get(url)
        if page is None or page.age_s(self.clock()) > adapter.max_age_s:
            return None
        return page

    async def get(self, adapter: Adapter, url: str, live_timeout_s: float) -> Page | None:
        """A page no older than the site's max age: the indexed copy, else read live now."""
        page = self.fresh(adapter, url)
        if page is not None:
            return page
        try:
            return await self.refresh(adapter, url, live_timeout_s)
        except (FetchError, ValueError) as exc:
            log.info("live read failed, declining", extra={"url": url, "error": str(exc)})
            return None
