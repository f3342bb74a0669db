"""Indexed pages: in memory for speed, in MongoDB (`indexed_pages`, keyed by URL, with
site and fetchedAt) so a restarted indexer starts warm. Data is never served past its
site's max age: a stale page is read live first, or the question is declined.

Bounded: the kept-fresh pages (a setting) plus at most `max_on_demand` pages read on
demand, oldest fetched dropped first, in memory and in MongoDB; pages past their site's
max age are deleted from MongoDB and never loaded at start."""
import asyncio
import dataclasses
import datetime
import logging
import time
import urllib.parse

from pymongo import ASCENDING, DESCENDING
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


def kept_fresh(spec: str, adapters: list[Adapter]) -> list[str]:
    """The canonical URLs of a comma-separated list; ValueError names a URL no adapter reads."""
    urls = []
    for raw in (part.strip() for part in spec.split(",")):
        if not raw:
            continue
        host = host_of(raw)
        adapter = next((a for a in adapters if a.owns(host)), None)
        url = adapter.canonical(raw) if adapter else None
        if url is None:
            raise ValueError(f"kept_fresh_pages: {raw!r} is not a page of a site the indexer reads")
        if url not in urls:
            urls.append(url)
    return urls


def _utc(epoch: float) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(epoch, datetime.UTC)


class PageStore:
    def __init__(self, db, fetcher: Fetcher, adapters: list[Adapter], clock=time.time,
                 kept: list[str] | None = None, max_on_demand: int = 1000):
        self.db = db
        self.fetcher = fetcher
        self.adapters = adapters
        self.clock = clock
        self.pages: dict[str, Page] = {}
        self.kept = list(kept or [])
        self.max_on_demand = max_on_demand
        self._trimming: asyncio.Task | None = None
        self._trim_asked = False

    def adapter_for(self, url: str) -> Adapter | None:
        host = host_of(url)
        return next((a for a in self.adapters if a.owns(host)), None)

    def kept_of(self, adapter: Adapter) -> list[str]:
        """The kept-fresh pages of this site."""
        return [url for url in self.kept if adapter.owns(host_of(url))]

    async def load(self) -> int:
        """Reads what MongoDB holds within each site's max age: the kept pages, and the
        newest pages read on demand up to the cap (parsed again: data is derived from the
        HTML); a page already read since start-up is newer and kept. Best effort: MongoDB
        being down only means a cold start."""
        if self.db is None:
            return 0
        count, now = 0, self.clock()
        collection = self.db[mongo.INDEXED_PAGES]
        try:
            await collection.create_index([("site", ASCENDING), ("fetchedAt", DESCENDING)])
            for adapter in self.adapters:
                recent = {"site": adapter.host, "fetchedAt": {"$gte": _utc(now - adapter.max_age_s)}}
                for which, limit in (({"$in": self.kept}, len(self.kept)), ({"$nin": self.kept}, self.max_on_demand)):
                    if limit > 0:  # (a limit of 0 is no limit to MongoDB)
                        cursor = collection.find({**recent, "_id": which}).sort("fetchedAt", DESCENDING).limit(limit)
                        count += sum([self._loaded(adapter, doc) async for doc in cursor])
        except PyMongoError as exc:
            log.warning("indexed pages not loaded from MongoDB", extra={"error": type(exc).__name__})
        self._forget_oldest()
        return count

    def _loaded(self, adapter: Adapter, doc: dict) -> int:
        url, fetched = doc["_id"], doc["fetchedAt"].timestamp()
        if adapter.canonical(url) != url or fetched <= getattr(self.pages.get(url), "fetched_at", 0.0):
            return 0
        data = adapter.parse(url, doc["html"])
        if data is None:
            return 0
        self.pages[url] = Page(url, doc["html"], data, fetched)
        return 1

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
            try:
                await self.db[mongo.INDEXED_PAGES].replace_one(
                    {"_id": url}, {"_id": url, "site": adapter.host, "html": html, "fetchedAt": _utc(page.fetched_at)},
                    upsert=True)
            except PyMongoError as exc:  # the copy in memory still answers; the next refresh stores it
                log.warning("indexed page not stored", extra={"url": url, "error": type(exc).__name__})
            if url not in self.kept:
                self._trim_soon()
        return page

    def _trim_soon(self) -> None:
        """Trims MongoDB in the background (off the answer's path), once more if asked again
        while a trim runs."""
        self._trim_asked = True
        if self._trimming is None or self._trimming.done():
            self._trimming = asyncio.create_task(self._trim_while_asked(), name="trim-indexed-pages")

    async def _trim_while_asked(self) -> None:
        while self._trim_asked:
            self._trim_asked = False
            await self.trim()

    def _forget_oldest(self) -> None:
        on_demand = [p for url, p in self.pages.items() if url not in self.kept]
        for page in sorted(on_demand, key=lambda p: p.fetched_at)[:max(0, len(on_demand) - self.max_on_demand)]:
            del self.pages[page.url]

    async def trim(self) -> None:
        """MongoDB's copies, bounded like the memory's: pages past their site's max age are
        deleted, then the oldest fetched pages read on demand beyond `max_on_demand`."""
        collection, now = self.db[mongo.INDEXED_PAGES], self.clock()
        try:
            for adapter in self.adapters:
                await collection.delete_many({"site": adapter.host, "fetchedAt": {"$lt": _utc(now - adapter.max_age_s)}})
            on_demand = {"_id": {"$nin": self.kept}}
            excess = await collection.count_documents(on_demand) - self.max_on_demand
            if excess > 0:
                oldest = collection.find(on_demand, {"_id": 1}).sort("fetchedAt", ASCENDING).limit(excess)
                await collection.delete_many({"_id": {"$in": [doc["_id"] async for doc in oldest]}})
        except PyMongoError as exc:
            log.warning("indexed pages not trimmed", extra={"error": type(exc).__name__})

    async def settled(self) -> None:
        """Waits for the MongoDB trim under way, if any."""
        if self._trimming is not None:
            await self._trimming

    def close(self) -> None:
        """Stops a trim under way (the next on-demand read after a restart trims again)."""
        if self._trimming is not None:
            self._trimming.cancel()

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
