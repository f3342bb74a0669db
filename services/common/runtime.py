"""Serving a gRPC service: health, error mapping, SIGTERM -> NOT_SERVING -> stop(grace) -> close."""
import asyncio
import dataclasses
import json
import logging
import signal
from collections.abc import Awaitable, Callable
from typing import Any

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc

from services.common import metrics, requestid
from services.common.errors import ErrorInterceptor
from services.common.internal_auth import TokenClientInterceptor, TokenInterceptor

log = logging.getLogger(__name__)

Closer = Callable[[], Awaitable[None]]


@dataclasses.dataclass
class Built:
    """A started-but-not-yet-serving service: its server, bound port and what to close after."""

    server: grpc.aio.Server
    port: int
    health: health.HealthServicer
    closers: list[Closer] = dataclasses.field(default_factory=list)
    background: list[asyncio.Task[Any]] = dataclasses.field(default_factory=list)
    # Called with the grace period after health turns NOT_SERVING and before the server
    # stops: a service finishes or hands back its in-flight work (the browser worker).
    drain: Callable[[float], Awaitable[None]] | None = None

    async def stop(self, grace: float) -> None:
        self.health.enter_graceful_shutdown()
        if self.drain is not None:
            try:
                await self.drain(grace)
            except Exception:
                log.exception("error while draining")
        await self.server.stop(grace)
        for task in self.background:
            task.cancel()
        await asyncio.gather(*self.background, return_exceptions=True)
        for close in reversed(self.closers):
            try:
                await close()
            except Exception:
                log.exception("error while closing")


# Task records may carry a 5 MiB html_dump; gRPC's default 4 MiB limit would refuse them.
MESSAGE_LIMIT = 16 * 1024 * 1024
CHANNEL_OPTIONS = [("grpc.max_receive_message_length", MESSAGE_LIMIT), ("grpc.max_send_message_length", MESSAGE_LIMIT)]

# Internal calls the channel itself retries while the peer answers UNAVAILABLE (not reached,
# or "nothing was changed"): only idempotent ones, at most 5 attempts within the call's own
# deadline. SubmitTask creates a task and is never retried here.
IDEMPOTENT_METHODS = {
    "stablebrowse.scheduler.v1.SchedulerService": ("GetTask", "ListTasks", "ClaimTask", "CancelTask", "ReleaseTask"),
    "stablebrowse.indexer.v1.IndexerService": ("Answer",),
    "stablebrowse.accounts.v1.AccountService": ("Authenticate", "ListCredentials"),
    "stablebrowse.webhooks.v1.WebhookStore": ("GetWebhook", "ListDeliveries"),
    "stablebrowse.scheduler.v1.TaskOutcomes": ("GetOutcome",),
}
RETRY_POLICY = {"maxAttempts": 5, "initialBackoff": "0.2s", "maxBackoff": "2s", "backoffMultiplier": 2,
                "retryableStatusCodes": ["UNAVAILABLE"]}
SERVICE_CONFIG = json.dumps({"methodConfig": [{
    "name": [{"service": service, "method": method} for service, methods in IDEMPOTENT_METHODS.items() for method in methods],
    "retryPolicy": RETRY_POLICY,
}]})


def channel(target: str, token: str | None = None) -> grpc.aio.Channel:
    """A channel to a peer service, with the same message limits as our servers and the
    retries of its service config; every call carries the request id, and with a token
    (services/common/internal_auth.py), the token."""
    interceptors = ([TokenClientInterceptor(token)] if token else []) + [requestid.ClientInterceptor()]
    options = [*CHANNEL_OPTIONS, ("grpc.enable_retries", 1), ("grpc.service_config", SERVICE_CONFIG)]
    return grpc.aio.insecure_channel(target, options=options, interceptors=interceptors)


def new_server(address: str, token: str | None = None, public: bool = False) -> tuple[grpc.aio.Server, int, health.HealthServicer]:
    """A grpc.aio server with the request-id and error interceptors and the standard health
    service; with a token, every call but health checks must present it (else UNAUTHENTICATED).
    `public`: the API's edge (the gateway), see requestid.ServerInterceptor."""
    interceptors = ([requestid.ServerInterceptor(public)] + ([TokenInterceptor(token)] if token else [])
                    + [ErrorInterceptor()])
    server = grpc.aio.server(interceptors=interceptors, options=CHANNEL_OPTIONS)
    servicer = health.HealthServicer(experimental_non_blocking=True)
    health_pb2_grpc.add_HealthServicer_to_server(servicer, server)
    port = server.add_insecure_port(address)
    if port == 0:
        raise RuntimeError(f"cannot bind {address}")
    return server, port, servicer


def mark_serving(servicer: health.HealthServicer, *names: str) -> None:
    for name in ("", *names):
        servicer.set(name, health_pb2.HealthCheckResponse.SERVING)


def mark_not_serving(servicer: health.HealthServicer, *names: str) -> None:
    """E.g. a worker whose browser is being relaunched (ignored once shutting down)."""
    for name in ("", *names):
        servicer.set(name, health_pb2.HealthCheckResponse.NOT_SERVING)


async def serve_until_signalled(built: Built, grace: float, name: str) -> None:
    """Serves until SIGTERM or SIGINT, then shuts down gracefully."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await built.server.start()
    metrics.serve_from_env()
    log.info("serving", extra={"port": built.port, "component": name})
    waiter = asyncio.create_task(stop.wait())
    ended = asyncio.create_task(built.server.wait_for_termination())
    done, _ = await asyncio.wait({waiter, ended, *built.background}, return_when=asyncio.FIRST_COMPLETED)
    failed = [t for t in done if t in built.background]
    for task in failed:
        # A background loop must never end on its own: stop, and let the supervisor restart us.
        log.error("background task ended", extra={"task": task.get_name(), "error": repr(task.exception())})
    log.info("shutting down", extra={"component": name, "grace_seconds": grace})
    await built.stop(grace)
    waiter.cancel()
    ended.cancel()
    log.info("stopped", extra={"component": name})
    if failed:
        raise SystemExit(1)
