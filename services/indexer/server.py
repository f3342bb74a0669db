"""Indexer: fast-path answers for popular sites."""
import asyncio

from stablebrowse.indexer.v1 import indexer_pb2_grpc

from services.common import logs, runtime
from services.indexer.servicer import IndexerServicer
from services.indexer.settings import IndexerSettings

SERVICE_NAME = "stablebrowse.indexer.v1.IndexerService"


async def build_server(settings: IndexerSettings, address: str | None = None) -> runtime.Built:
    server, port, health = runtime.new_server(address or settings.indexer_listen)
    indexer_pb2_grpc.add_IndexerServiceServicer_to_server(IndexerServicer(adapters=[]), server)
    runtime.mark_serving(health, SERVICE_NAME)
    return runtime.Built(server=server, port=port, health=health)


async def main() -> None:
    settings = IndexerSettings()
    logs.setup("indexer", settings.log_level)
    built = await build_server(settings)
    await runtime.serve_until_signalled(built, settings.shutdown_grace_seconds, "indexer")


if __name__ == "__main__":
    asyncio.run(main())
