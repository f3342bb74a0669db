"""Webhooks service: owns webhook configurations and deliveries (WebhookStore, for the gateway
and the admin CLI) and turns terminal task events into signed, retried HTTP deliveries."""
import asyncio
import logging

from services.common import internal_auth, kafka, logs, mongo, runtime
from services.webhooks import queue
from services.webhooks.deliverer import Deliverer
from services.webhooks.intake import Intake
from services.webhooks.sender import Sender
from services.webhooks.settings import WebhookSettings
from services.webhooks.store import WebhookStoreServicer
from stablebrowse.scheduler.v1 import outcomes_pb2_grpc
from stablebrowse.webhooks.v1 import store_pb2_grpc

log = logging.getLogger(__name__)

SERVICE_NAMES = ("stablebrowse.webhooks.Deliverer", "stablebrowse.webhooks.v1.WebhookStore")
INTAKE_GROUP = "stablebrowse-webhooks"


async def build_server(settings: WebhookSettings, address: str | None = None) -> runtime.Built:
    token = internal_auth.token(settings)
    server, port, health = runtime.new_server(address or settings.webhooks_listen, token)
    sealer = settings.vault()
    db = mongo.connect(settings)
    await queue.ensure_indexes(db)
    store_pb2_grpc.add_WebhookStoreServicer_to_server(WebhookStoreServicer(db, sealer), server)

    async def close_db() -> None:
        await db.client.close()

    if sealer is None:
        # No webhook can be stored without the key (PutWebhook answers UNAVAILABLE): nothing to deliver.
        log.warning("STABLEBROWSE_SECRET_KEY is not set: webhooks are off")
        runtime.mark_serving(health, *SERVICE_NAMES)
        return runtime.Built(server=server, port=port, health=health, closers=[close_db])
    await kafka.ensure_topics(settings)
    consumer = kafka.new_consumer(settings, kafka.events_topic(settings), INTAKE_GROUP)
    await consumer.start()
    scheduler = runtime.channel(settings.scheduler_target, token)  # the owner of `tasks`: outcomes
    sender = Sender(settings.webhook_allowed_hosts, settings.webhook_timeout_seconds)
    deliverer = Deliverer(db, sealer, sender, settings.webhook_retry_delays, settings.webhook_poll_seconds,
                          settings.webhook_concurrency)
    intake = Intake(db, outcomes_pb2_grpc.TaskOutcomesStub(scheduler), settings.webhook_settle_seconds,
                    deliverer.wake.set)
    runtime.mark_serving(health, *SERVICE_NAMES)
    background = [
        asyncio.create_task(intake.consume(consumer), name="intake"),
        asyncio.create_task(deliverer.run(), name="deliverer"),
    ]

    async def close_clients() -> None:
        await deliverer.stop()
        await consumer.stop()
        await sender.close()
        await scheduler.close()

    return runtime.Built(server=server, port=port, health=health, closers=[close_db, close_clients],
                         background=background)


async def main() -> None:
    settings = WebhookSettings()
    logs.setup("webhooks", settings.log_level)
    built = await build_server(settings)
    await runtime.serve_until_signalled(built, settings.shutdown_grace_seconds, "webhooks")


if __name__ == "__main__":
    asyncio.run(main())
