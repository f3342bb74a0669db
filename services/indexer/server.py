"""Indexer: fast-path answers for popular sites, from pages it keeps fresh."""
import asyncio

from services.common import internal_auth, logs, mongo, runtime
from services.indexer.fetch import Fetcher
from services.indexer.refresher import refresh_forever
from services.indexer.servicer import IndexerServicer
from services.indexer.settings import IndexerSettings
from services.indexer.sites import all_adapters
from services.indexer.store import PageStore, kept_fresh
from stablebrowse.indexer.v1 import indexer_pb2_grpc

SERVICE_NAME = "stablebrowse.indexer.v1.IndexerService"


async def build_server(settings: IndexerSettings, address: str | None = None) -> runtime.Built:
    token = internal_auth.token(settings)
    adapters = all_adapters()
    kept = kept_fresh(settings.kept_fresh_pages, adapters)  # a URL no adapter reads stops the start
    db = mongo.connect(settings)
    fetcher = Fetcher(settings.host_map)
    store = PageStore(db, fetcher, adapters, kept=kept, max_on_demand=settings.max_on_demand_pages)
    server, port, health = runtime.new_server(address or settings.indexer_listen, token)
    indexer_pb2_grpc.add_IndexerServiceServicer_to_server(
        IndexerServicer(store, settings.live_fetch_timeout_seconds), server)
    runtime.mark_serving(health, SERVICE_NAME)
    background = [asyncio.create_task(keep_fresh(store), name="refresh")] if settings.refresh else []

    async def close_clients() -> None:
        store.close()
        await fetcher.close()
        await db.client.close()

    return runtime.Built(server=server, port=port, health=health, closers=[close_clients], background=background)


async def keep_fresh(store: PageStore) -> None:
    """Starts warm from MongoDB's copies, then one refresher per site with kept-fresh pages
    (they never end)."""
    await store.load()
    loops = [refresh_forever(store, adapter) for adapter in store.adapters if store.kept_of(adapter)]
    if not loops:  # nothing kept fresh: every page is read on demand
        await asyncio.Event().wait()
    await asyncio.gather(*loops)


async def main() -> None:
    settings = IndexerSettings()
    logs.setup("indexer", settings.log_level)
    built = await build_server(settings)
    await runtime.serve_until_signalled(built, settings.shutdown_grace_seconds, "indexer")


if __name__ == "__main__":
    asyncio.run(main())
