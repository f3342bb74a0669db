"""One exception tree; each error knows its gRPC status. Translated in one interceptor."""
import inspect
import logging

import grpc

log = logging.getLogger(__name__)


class ServiceError(Exception):
    """Base of every error a client may see; the message is safe to show."""

    code = grpc.StatusCode.INTERNAL


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


class Unavailable(ServiceError):
    """A dependency (database, broker, peer service) cannot be reached."""

    code = grpc.StatusCode.UNAVAILABLE


class ErrorInterceptor(grpc.aio.ServerInterceptor):
    """Maps ServiceError to its status; anything else is logged and becomes INTERNAL."""

    async def intercept_service(self, continuation, handler_call_details):
        handler = await continuation(handler_call_details)
        if handler is None or not inspect.iscoroutinefunction(handler.unary_unary):
            return handler  # e.g. the standard health service's plain methods
        inner = handler.unary_unary
        method = handler_call_details.method

        async def guarded(request, context: grpc.aio.ServicerContext):
            try:
                return await inner(request, context)
            except ServiceError as exc:
                await context.abort(exc.code, str(exc))
            except grpc.aio.AbortError:
                raise
            except grpc.aio.AioRpcError as exc:
                code, details = upstream_status(exc)
                await context.abort(code, details)
            except Exception:
                log.exception("unhandled error", extra={"method": method})
                await context.abort(grpc.StatusCode.INTERNAL, "internal error")

        return grpc.unary_unary_rpc_method_handler(
            guarded,
            request_deserializer=handler.request_deserializer,
            response_serializer=handler.response_serializer,
        )


_PASS_THROUGH = {
    grpc.StatusCode.INVALID_ARGUMENT,
    grpc.StatusCode.UNAUTHENTICATED,
    grpc.StatusCode.PERMISSION_DENIED,
    grpc.StatusCode.NOT_FOUND,
    grpc.StatusCode.RESOURCE_EXHAUSTED,
    grpc.StatusCode.FAILED_PRECONDITION,
    grpc.StatusCode.UNAVAILABLE,
}


def upstream_status(exc: grpc.aio.AioRpcError) -> tuple[grpc.StatusCode, str]:
    """What to tell our caller when a peer service failed: its own words for client
    errors, a plain message for everything else (peer internals stay internal)."""
    if exc.code() in _PASS_THROUGH:
        return exc.code(), exc.details() or exc.code().name.lower()
    if exc.code() == grpc.StatusCode.DEADLINE_EXCEEDED:
        return grpc.StatusCode.UNAVAILABLE, "an internal service did not answer in time"
    log.error("peer service failed", extra={"code": exc.code().name, "details": exc.details()})
    return grpc.StatusCode.INTERNAL, "internal error"
