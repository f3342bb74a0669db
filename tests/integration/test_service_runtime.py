"""Service skeletons: build_server on port 0, gRPC health, graceful SIGTERM shutdown, JSON logs."""
import json
import os
import signal
import subprocess
import sys
import time

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from dev.stack.config import REPO
from dev.stack.ports import free_port
from services.gateway.server import build_server as build_gateway
from services.gateway.settings import GatewaySettings
from services.indexer.server import build_server as build_indexer
from services.indexer.settings import IndexerSettings


async def health_status(port: int, service: str = "") -> int:
    async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
        reply = await health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(service=service), timeout=2)
    return reply.status


async def test_build_server_on_port_zero_serves_health_then_stops(stack):
    settings = GatewaySettings(mongodb_uri=stack.mongodb_uri, scheduler_target=f"127.0.0.1:{stack.ports['scheduler_port']}")
    built = await build_gateway(settings, "127.0.0.1:0")
    await built.server.start()
    assert built.port > 0
    assert await health_status(built.port, "stablebrowse.tasks.v1.TaskService") == health_pb2.HealthCheckResponse.SERVING
    await built.stop(grace=1)
    try:
        await health_status(built.port)
        raise AssertionError("server still answering after stop")
    except grpc.aio.AioRpcError as exc:
        assert exc.code() == grpc.StatusCode.UNAVAILABLE


async def test_graceful_shutdown_reports_not_serving_first():
    built = await build_indexer(IndexerSettings(internal_token="t" * 32), "127.0.0.1:0")
    await built.server.start()
    assert await health_status(built.port) == health_pb2.HealthCheckResponse.SERVING
    built.health.enter_graceful_shutdown()
    assert await health_status(built.port) == health_pb2.HealthCheckResponse.NOT_SERVING
    await built.stop(grace=1)


def test_sigterm_stops_a_service_cleanly_with_json_logs():
    port = free_port()
    env = {**os.environ, "STABLEBROWSE_INDEXER_LISTEN": f"127.0.0.1:{port}", "STABLEBROWSE_INTERNAL_TOKEN": "t" * 32,
           "PYTHONPATH": os.pathsep.join([str(REPO / "gen"), str(REPO)])}
    proc = subprocess.Popen([sys.executable, "-m", "services.indexer"], env=env, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            try:
                health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=1)
                break
            except grpc.RpcError:
                time.sleep(0.1)
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=20)
    assert proc.returncode == 0
    messages = [json.loads(line)["msg"] for line in stderr.splitlines() if line.startswith("{")]
    assert "serving" in messages
    assert messages[-2:] == ["shutting down", "stopped"]
