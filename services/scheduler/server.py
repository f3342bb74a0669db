"""Scheduler: sessions, task documents, dispatch on Kafka, projection of worker events."""
import asyncio
import datetime

from services.common import internal_auth, kafka, lag, logs, metrics, mongo, runtime
from services.scheduler import indexes, screenshots
from services.scheduler.accounts import AccountServicer
from services.scheduler.deadletter import DeadLetters
from services.scheduler.fastpath import SubmitAnswers
from services.scheduler.outcomes import OutcomeServicer
from services.scheduler.projection import project_events
from services.scheduler.reaper import Rules, reap_forever
from services.scheduler.servicer import SchedulerServicer
from services.scheduler.settings import SchedulerSettings
from stablebrowse.accounts.v1 import accounts_pb2_grpc
from stablebrowse.indexer.v1 import indexer_pb2_grpc
from stablebrowse.scheduler.v1 import outcomes_pb2_grpc, scheduler_pb2_grpc

SERVICE_NAMES = ("stablebrowse.scheduler.v1.SchedulerService", "stablebrowse.accounts.v1.AccountService",
                 "stablebrowse.scheduler.v1.TaskOutcomes")
PROJECTION_GROUP = "stablebrowse-scheduler-projection"


async def build_server(settings: SchedulerSettings, address: str | None = None) -> runtime.Built:
    token = internal_auth.token(settings)
    db = mongo.connect(settings)
    await indexes.ensure_indexes(db)
    await kafka.ensure_topics(settings)
    producer = await kafka.start_producer(settings)
    consumer = kafka.new_consumer(settings, kafka.events_topic(settings), PROJECTION_GROUP)
    await consumer.start()

    server, port, health = runtime.new_server(address or settings.scheduler_listen, token)
    indexer_channel = runtime.channel(settings.indexer_target, token) if settings.submit_fast_path else None
    answers = SubmitAnswers(db, producer, kafka.events_topic(settings),
                            indexer_pb2_grpc.IndexerServiceStub(indexer_channel) if indexer_channel else None,
                            settings.submit_indexer_timeout_ms / 1000)
    servicer = SchedulerServicer(db, producer, kafka.dispatch_topic(settings), settings.task_deadline_seconds(),
                                 control_topic=kafka.control_topic(settings), events_topic=kafka.events_topic(settings),
                                 answers=answers, recipe_max_divergences=settings.recipe_max_divergences)
    scheduler_pb2_grpc.add_SchedulerServiceServicer_to_server(servicer, server)
    accounts_pb2_grpc.add_AccountServiceServicer_to_server(AccountServicer(db), server)
    outcomes_pb2_grpc.add_TaskOutcomesServicer_to_server(OutcomeServicer(db), server)
    runtime.mark_serving(health, *SERVICE_NAMES)

    rules = Rules(settings.worker_silence_seconds, settings.pending_timeout_seconds,
                  settings.reaper_interval_seconds, settings.reconcile_interval_seconds)
    dead = DeadLetters(producer, kafka.dead_events_topic(settings))
    background = [
        asyncio.create_task(project_events(db, consumer, dead, rules.tick_gap_seconds()), name="projection"),
        asyncio.create_task(
            reap_forever(db, producer, kafka.events_topic(settings), servicer.dispatch, rules), name="reaper"),
        asyncio.create_task(lag.watch(settings, kafka.dispatch_topic(settings), (lag.BROWSER_GROUP,),
                                      metrics.MetricsSettings().lag_interval_seconds), name="dispatch-lag"),
        asyncio.create_task(screenshots.expire_forever(
            db, datetime.timedelta(hours=settings.screenshot_retention_hours)), name="screenshot-expiry"),
    ]

    async def close_clients() -> None:
        await consumer.stop()
        if indexer_channel is not None:
            await indexer_channel.close()
        await producer.stop()
        await db.client.close()

    return runtime.Built(server=server, port=port, health=health, closers=[close_clients], background=background)


async def main() -> None:
    settings = SchedulerSettings()
    logs.setup("scheduler", settings.log_level)
    built = await build_server(settings)
    await runtime.serve_until_signalled(built, settings.shutdown_grace_seconds, "scheduler")


if __name__ == "__main__":
    asyncio.run(main())
