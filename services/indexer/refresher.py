"""Keeps each site's kept-fresh pages fresh: one loop per site, re-reading them every
refresh interval; after an error it retries in 1 s, doubling up to four intervals."""
import asyncio
import logging

from services.indexer.sites import Adapter
from services.indexer.store import PageStore

log = logging.getLogger(__name__)


async def refresh_once(store: PageStore, adapter: Adapter) -> int:
    """Re-reads the site's pages; returns how many failed."""
    failed = 0
    for url in store.kept_of(adapter):
        try:
            await store.refresh(adapter, url)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            failed += 1
            log.warning("refresh failed", extra={"url": url, "error": str(exc)[:200]})
    return failed


async def refresh_forever(store: PageStore, adapter: Adapter) -> None:
    backoff = 1.0
    while True:
        if await refresh_once(store, adapter):
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, adapter.refresh_interval_s * 4)
        else:
            backoff = 1.0
            await asyncio.sleep(adapter.refresh_interval_s)
