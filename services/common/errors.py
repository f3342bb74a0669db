"""One exception tree; each error knows its gRPC status. Translated in one interceptor."""
import inspect
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import grpc
from google.protobuf import any_pb2
from google.protobuf.message import DecodeError, Message
from google.rpc import status_pb2
from grpc_status import rpc_status

log = logging.getLogger(__name__)

# gRPC trailing metadata: (name, value) pairs; a value is bytes when the name ends in -bin.
Metadata = tuple[tuple[str, str | bytes], ...]

# Exceptions of a dependency's client that mean "unavailable, nothing was changed", with what
# the caller is told: registered by the module that holds such a client (services/common/mongo.py
# for the database driver), so a service without one never imports that driver.
_UNAVAILABLE: dict[type[Exception], str] = {}


# gRPC's retry pushback (gRFC A6): a negative value tells the caller's channel not to retry, so
# an internal client's service-config retries (runtime.IDEMPOTENT_METHODS) are spent on an
# unreachable peer, not on a peer that answered that its own dependency is down.
NO_CHANNEL_RETRY: Metadata = (("grpc-retry-pushback-ms", "-1"),)


def treat_as_unavailable(kind: type[Exception], message: str) -> None:
    _UNAVAILABLE[kind] = message


class ServiceError(Exception):
    """Base of every error a client may see; the message is safe to show."""

    code = grpc.StatusCode.INTERNAL

    def __init__(self, message: str, details: tuple[Message, ...] = (), headers: Metadata = ()) -> None:
        super().__init__(message)
        self.details = details  # google.rpc detail messages (QuotaFailure, RetryInfo, …)
        self.headers = headers  # extra (name, value) pairs, e.g. retry-after

    def trailing_metadata(self) -> Metadata:
        """The headers, and the details as a google.rpc.Status (grpc-status-details-bin)."""
        if not self.details:
            return tuple(self.headers)
        packed = [any_pb2.Any() for _ in self.details]
        for holder, detail in zip(packed, self.details, strict=True):
            holder.Pack(detail)
        status = status_pb2.Status(code=self.code.value[0], message=str(self), details=packed)
        return tuple(self.headers) + tuple(rpc_status.to_status(status).trailing_metadata)


class InvalidArgument(ServiceError):
    """The request is malformed; the message names the field and the reason."""

    code = grpc.StatusCode.INVALID_ARGUMENT


class Unauthenticated(ServiceError):
    """No usable credential was presented."""

    code = grpc.StatusCode.UNAUTHENTICATED


class PermissionDenied(ServiceError):
    """The credential is valid but not allowed to do this."""

    code = grpc.StatusCode.PERMISSION_DENIED


class NotFound(ServiceError):
    """The resource does not exist for this caller."""

    code = grpc.StatusCode.NOT_FOUND


class ResourceExhausted(ServiceError):
    """A quota or rate limit refused the request."""

    code = grpc.StatusCode.RESOURCE_EXHAUSTED


class AlreadyExists(ServiceError):
    """The request conflicts with what is already stored (HTTP 409)."""

    code = grpc.StatusCode.ALREADY_EXISTS


class Aborted(ServiceError):
    """A concurrent request holds what this one needs; retrying later may succeed (HTTP 409)."""

    code = grpc.StatusCode.ABORTED


class Unavailable(ServiceError):
    """A dependency (database, broker, peer service) cannot be reached."""

    code = grpc.StatusCode.UNAVAILABLE


def translate(exc: Exception, method: str) -> tuple[grpc.StatusCode, str, Metadata]:
    """The one place where any exception becomes what the caller sees."""
    if isinstance(exc, ServiceError):
        return exc.code, str(exc), exc.trailing_metadata()
    if isinstance(exc, grpc.aio.AioRpcError):
        return upstream_status(exc)
    for kind, message in _UNAVAILABLE.items():
        if isinstance(exc, kind):
            log.error("dependency unavailable", extra={"method": method, "error": type(exc).__name__})
            return grpc.StatusCode.UNAVAILABLE, message, NO_CHANNEL_RETRY
    log.error("unhandled error", extra={"method": method}, exc_info=exc)
    return grpc.StatusCode.INTERNAL, "internal error", ()


class Undecodable:
    """A request protobuf refused to parse; in practice JSON nested past its depth limit."""

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def message(self) -> str:
        if "MaxDepth" in self.reason or "recursion" in self.reason.lower():
            return "schema: nested too deeply (at most 32 levels)"
        return "request: could not be parsed"


class ErrorInterceptor(grpc.aio.ServerInterceptor):
    """Maps every exception of an async handler, unary or server-streaming, to a status via
    `translate`; a request that does not parse is INVALID_ARGUMENT."""

    async def intercept_service(self, continuation: Callable[[Any], Awaitable[Any]], handler_call_details: Any) -> Any:
        handler = await continuation(handler_call_details)
        if handler is None:
            return handler
        method = handler_call_details.method
        parse = handler.request_deserializer

        def safe_parse(raw: bytes) -> Any:
            try:
                return parse(raw)
            except DecodeError as exc:
                return Undecodable(str(exc))

        async def refuse(exc: Exception, context: grpc.aio.ServicerContext) -> None:
            code, message, metadata = translate(exc, method)
            await context.abort(code, message, metadata)

        if inspect.iscoroutinefunction(handler.unary_unary):
            inner = handler.unary_unary

            async def guarded(request: Any, context: grpc.aio.ServicerContext) -> Any:
                if isinstance(request, Undecodable):
                    await context.abort(grpc.StatusCode.INVALID_ARGUMENT, request.message())
                try:
                    return await inner(request, context)
                except grpc.aio.AbortError:
                    raise
                except Exception as exc:
                    await refuse(exc, context)

            return grpc.unary_unary_rpc_method_handler(
                guarded, request_deserializer=safe_parse if parse else None,
                response_serializer=handler.response_serializer)
        if inspect.isasyncgenfunction(handler.unary_stream):
            streamer = handler.unary_stream

            async def guarded_stream(request: Any, context: grpc.aio.ServicerContext) -> AsyncIterator[Any]:
                if isinstance(request, Undecodable):
                    await context.abort(grpc.StatusCode.INVALID_ARGUMENT, request.message())
                try:
                    async for item in streamer(request, context):
                        yield item
                except grpc.aio.AbortError:
                    raise
                except Exception as exc:
                    await refuse(exc, context)

            return grpc.unary_stream_rpc_method_handler(
                guarded_stream, request_deserializer=safe_parse if parse else None,
                response_serializer=handler.response_serializer)
        return handler  # e.g. the standard health service's plain methods


_PASS_THROUGH = {
    grpc.StatusCode.INVALID_ARGUMENT,
    grpc.StatusCode.UNAUTHENTICATED,
    grpc.StatusCode.PERMISSION_DENIED,
    grpc.StatusCode.NOT_FOUND,
    grpc.StatusCode.RESOURCE_EXHAUSTED,
    grpc.StatusCode.FAILED_PRECONDITION,
    grpc.StatusCode.UNAVAILABLE,
    grpc.StatusCode.ALREADY_EXISTS,
    grpc.StatusCode.ABORTED,
}
_FORWARDED_HEADERS = {"retry-after"}


def upstream_status(exc: grpc.aio.AioRpcError) -> tuple[grpc.StatusCode, str, Metadata]:
    """What to tell our caller when a peer service failed: its own words (and details)
    for client errors, a plain message for everything else (peer internals stay internal)."""
    if exc.code() in _PASS_THROUGH:
        forwarded = tuple((k, v) for k, v in (exc.trailing_metadata() or ()) if k in _FORWARDED_HEADERS)
        return exc.code(), exc.details() or exc.code().name.lower(), forwarded + _details_of(exc)
    if exc.code() == grpc.StatusCode.DEADLINE_EXCEEDED:
        return grpc.StatusCode.UNAVAILABLE, "an internal service did not answer in time", ()
    log.error("peer service failed", extra={"code": exc.code().name, "details": exc.details()})
    return grpc.StatusCode.INTERNAL, "internal error", ()


def _details_of(exc: grpc.aio.AioRpcError) -> Metadata:
    """The peer's google.rpc.Status details, to hand on unchanged; none when it sent none
    (or a status that contradicts its own code and message)."""
    try:
        status = rpc_status.from_call(exc)
    except ValueError:
        log.error("peer sent inconsistent status details", extra={"code": exc.code().name})
        return ()
    return tuple(rpc_status.to_status(status).trailing_metadata) if status is not None else ()
