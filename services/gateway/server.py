"""Gateway: the gRPC service behind Envoy."""
import asyncio

from services.common import internal_auth, logs, runtime
from services.gateway import auth
from services.gateway.credentials import CredentialServicer
from services.gateway.event_hub import EventHub
from services.gateway.servicer import TaskServicer
from services.gateway.settings import GatewaySettings
from services.gateway.share_links import ShareLinks
from services.gateway.share_viewer import ShareServicer
from services.gateway.webhooks import WebhookServicer
from stablebrowse.accounts.v1 import accounts_pb2_grpc
from stablebrowse.credentials.v1 import credentials_pb2_grpc
from stablebrowse.scheduler.v1 import scheduler_pb2_grpc
from stablebrowse.share.v1 import share_pb2_grpc
from stablebrowse.tasks.v1 import tasks_pb2_grpc
from stablebrowse.webhooks.v1 import store_pb2_grpc, webhooks_pb2_grpc

SERVICE_NAMES = ("stablebrowse.tasks.v1.TaskService", "stablebrowse.credentials.v1.CredentialService",
                 "stablebrowse.webhooks.v1.WebhookService", "stablebrowse.share.v1.ShareService")


async def build_server(settings: GatewaySettings, address: str | None = None) -> runtime.Built:
    token = internal_auth.token(settings)
    auth.KEYS.ttl_s = settings.api_key_cache_seconds
    channel = runtime.channel(settings.scheduler_target, token)
    webhooks_channel = runtime.channel(settings.webhooks_target, token)
    # The public services authenticate callers by API key; the port is Envoy's alone (loopback in the pod).
    server, port, health = runtime.new_server(address or settings.gateway_listen, public=True)
    hub = EventHub(settings)
    scheduler = scheduler_pb2_grpc.SchedulerServiceStub(channel)
    accounts = accounts_pb2_grpc.AccountServiceStub(channel)
    timeout = settings.scheduler_timeout_seconds
    # No database here: keys and credentials are the scheduler's, webhooks the webhooks service's.
    authenticator = auth.Authenticator(accounts, timeout)
    links = ShareLinks.from_secret(settings.share_secret.get_secret_value(), settings.public_url)
    servicer = TaskServicer(authenticator, scheduler, timeout, hub, settings.events_keepalive_seconds, links)
    tasks_pb2_grpc.add_TaskServiceServicer_to_server(servicer, server)
    share_pb2_grpc.add_ShareServiceServicer_to_server(
        ShareServicer(links.signer, scheduler, settings.scheduler_timeout_seconds, hub, settings.events_keepalive_seconds),
        server)
    credentials_pb2_grpc.add_CredentialServiceServicer_to_server(
        CredentialServicer(authenticator, accounts, settings.vault(), timeout), server)
    webhooks_pb2_grpc.add_WebhookServiceServicer_to_server(
        WebhookServicer(authenticator, store_pb2_grpc.WebhookStoreStub(webhooks_channel), timeout), server)
    runtime.mark_serving(health, *SERVICE_NAMES)

    async def close_clients() -> None:
        await channel.close()
        await webhooks_channel.close()

    background = [asyncio.create_task(hub.run(), name="event-hub")]
    return runtime.Built(server=server, port=port, health=health, closers=[close_clients], background=background)


async def main() -> None:
    settings = GatewaySettings()
    logs.setup("gateway", settings.log_level)
    built = await build_server(settings)
    await runtime.serve_until_signalled(built, settings.shutdown_grace_seconds, "gateway")


if __name__ == "__main__":
    asyncio.run(main())
