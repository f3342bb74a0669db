"""Browser worker: a Kafka consumer-group member with one warm Chromium and a health endpoint."""
import asyncio

from services.browser import control
from services.browser.chromium import ChromiumPool
from services.browser.settings import BrowserSettings
from services.browser.worker import Worker
from services.common import internal_auth, kafka, logs, metrics, runtime
from stablebrowse.indexer.v1 import indexer_pb2_grpc
from stablebrowse.scheduler.v1 import scheduler_pb2_grpc

SERVICE_NAME = "stablebrowse.browser.v1.Worker"
WORKER_GROUP = "stablebrowse-browser"


async def build_server(settings: BrowserSettings, address: str | None = None) -> runtime.Built:
    token = internal_auth.token(settings)
    server, port, health = runtime.new_server(address or settings.browser_listen, token)

    def browser_health(serving: bool) -> None:  # NOT_SERVING while Chromium is being relaunched
        (runtime.mark_serving if serving else runtime.mark_not_serving)(health, SERVICE_NAME)

    pool = ChromiumPool(settings.chromium_path, settings.host_map, settings.replica_spki,
                        settings.chromium_sandbox, on_health=browser_health)
    await pool.start()
    await kafka.ensure_topics(settings)
    producer = await kafka.start_producer(settings)
    consumer = kafka.new_consumer(
        settings, kafka.dispatch_topic(settings), WORKER_GROUP,
        max_poll_interval_ms=settings.task_timeout_ms + 120_000,
    )
    await consumer.start()
    channel = runtime.channel(settings.scheduler_target, token)
    indexer_channel = runtime.channel(settings.indexer_target, token)
    worker = Worker(
        consumer, producer, kafka.events_topic(settings), scheduler_pb2_grpc.SchedulerServiceStub(channel),
        pool, settings, indexer_pb2_grpc.IndexerServiceStub(indexer_channel), kafka.dispatch_topic(settings),
    )
    metrics.BROWSER_SLOTS_TOTAL.set(settings.worker_concurrency)
    runtime.mark_serving(health, SERVICE_NAME)

    async def close_clients() -> None:
        await consumer.stop()
        await producer.stop()
        await channel.close()
        await indexer_channel.close()
        await pool.close()

    background = [asyncio.create_task(worker.run_forever(), name="worker"),
                  asyncio.create_task(control.listen(settings, worker.stop), name="control")]
    return runtime.Built(server=server, port=port, health=health, closers=[close_clients], background=background,
                         drain=worker.drain)


async def main() -> None:
    settings = BrowserSettings()
    logs.setup("browser", settings.log_level)
    built = await build_server(settings)
    await runtime.serve_until_signalled(built, settings.shutdown_grace_seconds, "browser")


if __name__ == "__main__":
    asyncio.run(main())
