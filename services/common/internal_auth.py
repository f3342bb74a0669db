"""Service identity for internal gRPC: one per-deployment token, sent as `authorization: Bearer …`.

Every internal server (scheduler, indexer, browser worker) refuses a call without the
deployment's token with UNAUTHENTICATED, except the standard health service (probes).
Every internal client (gateway → scheduler, worker → scheduler, worker → indexer) attaches it.
The token is never logged.
"""
import hmac
import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import grpc
from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

log = logging.getLogger(__name__)

HEALTH_PREFIX = "/grpc.health.v1.Health/"
MIN_TOKEN_LENGTH = 16


class InternalAuthSettings(BaseSettings):
    """STABLEBROWSE_INTERNAL_TOKEN (the same on every service of a deployment), and
    STABLEBROWSE_INTERNAL_AUTH=off to run without it (explicitly, with a warning)."""

    model_config = SettingsConfigDict(env_prefix="STABLEBROWSE_", populate_by_name=True, extra="ignore")

    internal_token: SecretStr = SecretStr("")
    internal_auth: bool = True


class MissingInternalToken(SystemExit):
    """Refusing to start: the process exits (code 2) after logging why, without a traceback."""

    def __init__(self, reason: str):
        super().__init__(2)
        self.reason = reason

    def __str__(self) -> str:
        return self.reason


def token(settings: InternalAuthSettings) -> str | None:
    """The token to require and to send; None only when internal auth is switched off."""
    if not settings.internal_auth:
        log.warning("internal auth is off (STABLEBROWSE_INTERNAL_AUTH=off): internal gRPC calls are not authenticated")
        return None
    value = settings.internal_token.get_secret_value()
    if len(value) < MIN_TOKEN_LENGTH:
        reason = (f"STABLEBROWSE_INTERNAL_TOKEN: {'not set' if not value else 'too short'} "
                  f"(at least {MIN_TOKEN_LENGTH} characters, the same on every service); "
                  "set STABLEBROWSE_INTERNAL_AUTH=off to run without internal auth")
        log.error("refusing to start", extra={"reason": reason})
        raise MissingInternalToken(reason)
    return value


def _bearer(metadata: Iterable[tuple[str, str | bytes]] | None) -> str | None:
    for key, value in metadata or ():
        if key == "authorization" and isinstance(value, str) and value.startswith("Bearer "):
            return value[len("Bearer "):]
    return None


def _refusal(handler: grpc.RpcMethodHandler, message: str) -> grpc.RpcMethodHandler:
    """A handler of the same kind as `handler` that answers UNAUTHENTICATED."""

    async def deny(request: Any, context: grpc.aio.ServicerContext) -> None:
        await context.abort(grpc.StatusCode.UNAUTHENTICATED, message)

    if handler.unary_unary:
        make = grpc.unary_unary_rpc_method_handler
    elif handler.unary_stream:
        make = grpc.unary_stream_rpc_method_handler
    elif handler.stream_unary:
        make = grpc.stream_unary_rpc_method_handler
    else:
        make = grpc.stream_stream_rpc_method_handler
    return make(deny, request_deserializer=handler.request_deserializer,
                response_serializer=handler.response_serializer)


class TokenInterceptor(grpc.aio.ServerInterceptor):
    """Lets a call through only with `authorization: Bearer <token>` (constant-time compare)."""

    def __init__(self, expected: str) -> None:
        self._expected = expected.encode()

    async def intercept_service(self, continuation: Callable[[Any], Awaitable[Any]], handler_call_details: Any) -> Any:
        handler = await continuation(handler_call_details)
        method = handler_call_details.method
        if handler is None or method.startswith(HEALTH_PREFIX):
            return handler
        presented = _bearer(handler_call_details.invocation_metadata)
        if presented is None:
            log.warning("internal call refused: no credential", extra={"method": method})
            return _refusal(handler, "internal credential missing")
        if not hmac.compare_digest(presented.encode(), self._expected):
            log.warning("internal call refused: wrong credential", extra={"method": method})
            return _refusal(handler, "internal credential invalid")
        return handler


class TokenClientInterceptor(grpc.aio.UnaryUnaryClientInterceptor):
    """Adds the deployment's token to every unary call of a channel (all internal RPCs are unary)."""

    def __init__(self, value: str) -> None:
        self._header = ("authorization", f"Bearer {value}")

    async def intercept_unary_unary(self, continuation: Callable[[Any, Any], Awaitable[Any]], client_call_details: Any,
                                    request: Any) -> Any:
        metadata = grpc.aio.Metadata(*(client_call_details.metadata or ()), self._header)
        details = grpc.aio.ClientCallDetails(
            client_call_details.method, client_call_details.timeout, metadata,
            client_call_details.credentials, client_call_details.wait_for_ready,
        )
        return await continuation(details, request)
