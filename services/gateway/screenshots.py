"""GET /v1/tasks/{taskId}/steps/{n}/screenshot: a step's JPEG, read through the scheduler
(which owns the screenshots collection). `fetch_screenshot` is the one way in, for the API
route here and for any other view of a task (the share viewer) that has a business id."""
import grpc
from google.api import httpbody_pb2

from services.common.errors import InvalidArgument, NotFound
from stablebrowse.scheduler.v1 import scheduler_pb2, scheduler_pb2_grpc

CONTENT_TYPE = "image/jpeg"


async def fetch_screenshot(scheduler: scheduler_pb2_grpc.SchedulerServiceStub, business_id: str, task_id: str,
                           step: int, timeout: float) -> bytes:
    """The JPEG of step `step` of the business's task. NotFound ("task not found" for an unknown
    task or another business's, else naming the step) when there is none."""
    if step < 1:
        raise InvalidArgument(f"n: step numbers start at 1 (got {step})")
    try:
        reply = await scheduler.GetScreenshot(
            scheduler_pb2.GetScreenshotRequest(business_id=business_id, task_id=task_id, step=step), timeout=timeout)
    except grpc.aio.AioRpcError as exc:
        if exc.code() == grpc.StatusCode.NOT_FOUND:
            raise NotFound(exc.details() or "not found") from None
        raise
    return reply.jpeg


def jpeg_body(jpeg: bytes) -> httpbody_pb2.HttpBody:
    """Envoy's transcoder answers an HttpBody as it is: image/jpeg, the bytes as the body."""
    return httpbody_pb2.HttpBody(content_type=CONTENT_TYPE, data=jpeg)
