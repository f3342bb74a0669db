"""A dependency outage is a clear 503 and never a 201 for a task that was not stored."""
import time

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from dev.stack.ports import free_port
from services.common import kafka, mongo, runtime
from services.common.settings import KafkaSettings, MongoSettings
from services.gateway.server import build_server as build_gateway
from services.gateway.settings import GatewaySettings
from services.scheduler.accounts import AccountServicer
from services.scheduler.servicer import SchedulerServicer
from stablebrowse.accounts.v1 import accounts_pb2_grpc
from stablebrowse.scheduler.v1 import scheduler_pb2, scheduler_pb2_grpc
from stablebrowse.tasks.v1 import tasks_pb2, tasks_pb2_grpc

DEAD_MONGO = f"mongodb://127.0.0.1:{free_port()}/?serverSelectionTimeoutMS=1500"


async def test_gateway_serves_without_a_database_and_answers_503_when_the_owner_cannot_reach_it(stack):
    """The gateway holds no database client: it starts and is SERVING while MongoDB is down, and a
    request is then UNAVAILABLE (503 through Envoy) within its deadline, not a hang."""
    db = mongo.connect(MongoSettings(mongodb_uri=f"mongodb://127.0.0.1:{free_port()}/?serverSelectionTimeoutMS=300"))
    server, port, _ = runtime.new_server("127.0.0.1:0")
    accounts_pb2_grpc.add_AccountServiceServicer_to_server(AccountServicer(db), server)
    await server.start()
    settings = GatewaySettings(scheduler_target=f"127.0.0.1:{port}", webhooks_target=f"127.0.0.1:{free_port()}")
    built = await build_gateway(settings, "127.0.0.1:0")
    await built.server.start()
    try:
        async with grpc.aio.insecure_channel(f"127.0.0.1:{built.port}") as channel:
            health = await health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=5)
            assert health.status == health_pb2.HealthCheckResponse.SERVING
            began = time.monotonic()
            with pytest.raises(grpc.aio.AioRpcError) as caught:
                await tasks_pb2_grpc.TaskServiceStub(channel).CreateTask(
                    tasks_pb2.CreateTaskRequest(end_user_id="u", task="t"),
                    metadata=(("authorization", "Bearer sb_whatever"),), timeout=60,
                )
            answered_after = time.monotonic() - began
    finally:
        await built.stop(0)
        await server.stop(0)
        await db.client.close()
    assert caught.value.code() == grpc.StatusCode.UNAVAILABLE
    assert "database unavailable" in caught.value.details()
    assert answered_after < settings.scheduler_timeout_seconds


async def test_scheduler_refuses_to_accept_a_task_it_cannot_store(stack):
    db = mongo.connect(MongoSettings(mongodb_uri=DEAD_MONGO))
    producer = await kafka.start_producer(KafkaSettings(kafka_bootstrap_servers=stack.kafka))
    server, port, _ = runtime.new_server("127.0.0.1:0")
    scheduler_pb2_grpc.add_SchedulerServiceServicer_to_server(SchedulerServicer(db, producer, "unused-topic"), server)
    await server.start()
    try:
        async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
            with pytest.raises(grpc.aio.AioRpcError) as caught:
                await scheduler_pb2_grpc.SchedulerServiceStub(channel).SubmitTask(
                    scheduler_pb2.SubmitTaskRequest(business_id="b", end_user_id="u", task="t", max_steps=25), timeout=20
                )
    finally:
        await server.stop(0)
        await producer.stop()
        await db.client.close()
    assert caught.value.code() == grpc.StatusCode.UNAVAILABLE
    assert "nothing was changed" in caught.value.details()
