"""The request id: set at the gateway (the caller's X-Request-Id, which Envoy forwards or makes,
else a new one), carried in gRPC metadata and Kafka headers, and put in every JSON log line
(logs.request_id) of every service while that request or task is handled."""
import inspect
import uuid
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import grpc

from services.common import metrics
from services.common.logs import request_id

HEADER = "x-request-id"
MAX_LENGTH = 128  # a caller's id is kept only if it is this short and printable


def _usable(value: str | bytes | None) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if not value or len(value) > MAX_LENGTH or not value.isprintable():
        return ""
    return value


def from_metadata(metadata: Iterable[tuple[str, Any]] | None) -> str:
    return next((_usable(v) for k, v in metadata or () if k == HEADER), "")


def adopt_headers(headers: Iterable[tuple[str, bytes]] | None) -> None:
    """Sets the request id from a Kafka record's headers (none: cleared, so no id leaks across)."""
    request_id.set(next((_usable(v) for k, v in headers or () if k == HEADER), ""))


def kafka_headers() -> list[tuple[str, bytes]] | None:
    rid = request_id.get()
    return [(HEADER, rid.encode())] if rid else None


class ServerInterceptor(grpc.aio.ServerInterceptor):
    """Sets the request id for each call from its metadata. `public` (the gateway): mints one when
    the caller sent none, and counts each call by the HTTP status Envoy will answer."""

    def __init__(self, public: bool = False):
        self.public = public

    async def intercept_service(self, continuation: Callable[[grpc.HandlerCallDetails], Awaitable[Any]],
                                handler_call_details: grpc.HandlerCallDetails) -> Any:
        handler = await continuation(handler_call_details)
        if handler is None or not inspect.iscoroutinefunction(handler.unary_unary):
            return handler
        inner, public = handler.unary_unary, self.public
        counted = public and not handler_call_details.method.startswith("/grpc.health.")

        async def with_request_id(request: Any, context: grpc.aio.ServicerContext) -> Any:
            rid = from_metadata(context.invocation_metadata())
            request_id.set(rid or (uuid.uuid4().hex if public else ""))
            try:
                response = await inner(request, context)
            except BaseException:
                if counted:
                    metrics.http_request(context.code() or grpc.StatusCode.UNKNOWN)
                raise
            if counted:
                metrics.http_request(context.code() or grpc.StatusCode.OK)
            return response

        return handler._replace(unary_unary=with_request_id)


class ClientInterceptor(grpc.aio.UnaryUnaryClientInterceptor):
    """Adds the current request id to every outgoing unary call."""

    async def intercept_unary_unary(self, continuation: Callable[..., Any], client_call_details: Any,
                                    request: Any) -> Any:
        rid = request_id.get()
        if rid:
            metadata = grpc.aio.Metadata(*(client_call_details.metadata or ()), (HEADER, rid))
            client_call_details = client_call_details._replace(metadata=metadata)
        return await continuation(client_call_details, request)
