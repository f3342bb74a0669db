"""Internal calls are retried by the channel's service config (services/common/runtime.py),
idempotent ones only; rich status details travel as a google.rpc.Status both ways."""
import grpc
import pytest
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from services.common import runtime
from services.common.errors import ResourceExhausted, Unavailable, upstream_status
from stablebrowse.scheduler.v1 import scheduler_pb2, scheduler_pb2_grpc
from stablebrowse.tasks.v1 import tasks_pb2


class Flaky(scheduler_pb2_grpc.SchedulerServiceServicer):
    """Answers UNAVAILABLE to the first `failures` calls of each method, then answers."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.calls: dict[str, int] = {}

    def _count(self, method: str) -> None:
        self.calls[method] = self.calls.get(method, 0) + 1
        if self.calls[method] <= self.failures:
            raise Unavailable("database unavailable, nothing was changed; retry later")

    async def GetTask(self, request, context):
        self._count("GetTask")
        return tasks_pb2.Task(task_id=request.task_id, status="running")

    async def SubmitTask(self, request, context):
        self._count("SubmitTask")
        return scheduler_pb2.SubmitTaskResponse(task_id="t1")

    async def ListTasks(self, request, context):
        raise ResourceExhausted("requests_per_minute: 3 used", details=(
            error_details_pb2.QuotaFailure(violations=[error_details_pb2.QuotaFailure.Violation(
                subject="business:b", description="requests_per_minute=3")]),
        ), headers=(("retry-after", "7"),))


@pytest.fixture
async def flaky_scheduler():
    async def start(failures: int):
        servicer = Flaky(failures)
        server, port, _ = runtime.new_server("127.0.0.1:0", token="t0ken")
        scheduler_pb2_grpc.add_SchedulerServiceServicer_to_server(servicer, server)
        await server.start()
        started.append(server)
        return servicer, runtime.channel(f"127.0.0.1:{port}", token="t0ken")

    started: list[grpc.aio.Server] = []
    yield start
    for server in started:
        await server.stop(0)


async def test_an_idempotent_call_succeeds_across_an_unavailable_answer(flaky_scheduler):
    servicer, channel = await flaky_scheduler(failures=1)
    async with channel:
        task = await scheduler_pb2_grpc.SchedulerServiceStub(channel).GetTask(
            scheduler_pb2.GetTaskRequest(business_id="b", task_id="t1"), timeout=10)
    assert task.task_id == "t1"
    assert servicer.calls["GetTask"] == 2


async def test_retries_are_bounded(flaky_scheduler):
    servicer, channel = await flaky_scheduler(failures=100)
    async with channel:
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await scheduler_pb2_grpc.SchedulerServiceStub(channel).GetTask(
                scheduler_pb2.GetTaskRequest(business_id="b", task_id="t1"), timeout=30)
    assert caught.value.code() == grpc.StatusCode.UNAVAILABLE
    assert servicer.calls["GetTask"] == runtime.RETRY_POLICY["maxAttempts"] == 5


async def test_a_call_that_creates_is_not_retried(flaky_scheduler):
    servicer, channel = await flaky_scheduler(failures=1)
    async with channel:
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await scheduler_pb2_grpc.SchedulerServiceStub(channel).SubmitTask(
                scheduler_pb2.SubmitTaskRequest(business_id="b", end_user_id="u", task="t", max_steps=25), timeout=10)
    assert caught.value.code() == grpc.StatusCode.UNAVAILABLE
    assert servicer.calls["SubmitTask"] == 1


async def test_status_details_reach_the_client_and_are_handed_on(flaky_scheduler):
    _, channel = await flaky_scheduler(failures=0)
    async with channel:
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await scheduler_pb2_grpc.SchedulerServiceStub(channel).ListTasks(
                scheduler_pb2.ListTasksRequest(business_id="b"), timeout=10)
    status = rpc_status.from_call(caught.value)
    assert status is not None and status.code == grpc.StatusCode.RESOURCE_EXHAUSTED.value[0]
    quota = error_details_pb2.QuotaFailure()
    assert status.details[0].Unpack(quota) and quota.violations[0].description == "requests_per_minute=3"
    code, message, metadata = upstream_status(caught.value)  # the gateway passing it on to Envoy
    assert (code, message) == (grpc.StatusCode.RESOURCE_EXHAUSTED, "requests_per_minute: 3 used")
    assert ("retry-after", "7") in metadata
    assert dict(metadata)["grpc-status-details-bin"] == status.SerializeToString()
