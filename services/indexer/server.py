"""Indexer: fast-path answers for popular sites, from pages it keeps fresh."""
import asyncio

from stablebrowse.indexer.v1 import indexer_pb2_grpc

from services.common import hostmap, logs, mongo, runtime
from services.indexer.fetch import Fetcher
from services.indexer.refresher import refresh_forever
from services.indexer.servicer import IndexerServicer
from services.indexer.settings import IndexerSettings
from services.indexer.sites import all_adapters
from services.indexer.store import PageStore

SERVICE_NAME = "stablebrowse.indexer.v1.IndexerService"


async def build_server(settings: IndexerSettings, address: str | None = None) -> runtime.Built:
    db = mongo.connect(settings)
    fetcher = Fetcher(hostmap.parse(settings.host_map))
    store = PageStore(db, fetcher, all_adapters())
    server, port, health = runtime.new_server(address or settings.indexer_listen)
    indexer_pb2_grpc.add_IndexerServiceServicer_to_server(
        IndexerServicer(store, settings.live_fetch_timeout_seconds), server)
    runtime.mark_serving(health, SERVICE_NAME)
    background = [asyncio.create_task(keep_fresh(store), name="refresh")] if settings.refresh else []

    async def close_clients() -> None:
        await fetcher.close()
        await db.client.close()

    return runtime.Built(server=server, port=port, health=health, closers=[close_clients], background=background)


async def keep_fresh(store: PageStore) -> None:
    """Starts warm from MongoDB's copies, then one refresher per site (they never end)."""
    await store.load()
    await asyncio.gather(*(refresh_forever(store, adapter) for adapter in store.adapters))


async def main() -> None:
    settings = IndexerSettings()
    logs.setup("indexer", settings.log_level)
    built = await build_server(settings)
    await runtime.serve_until_signalled(built, settings.shutdown_grace_seconds, "indexer")


if __name__ == "__main__":
    asyncio.run(main())
