"""Internal gRPC needs the deployment's token (services/common/internal_auth.py), on the real stack.

The stack fixture starts dev/stack as `make up` does: auth on, the token made on first start."""
import os
import pathlib
import subprocess
import sys
import time

import grpc
import httpx
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from dev.replica.content import hn
from dev.stack.components import render_envoy_config
from dev.stack.config import REPO, StackConfig
from services.common import internal_auth
from services.indexer.server import build_server as build_indexer
from services.indexer.settings import IndexerSettings
from stablebrowse.accounts.v1 import accounts_pb2, accounts_pb2_grpc
from stablebrowse.indexer.v1 import indexer_pb2, indexer_pb2_grpc
from stablebrowse.scheduler.v1 import outcomes_pb2, outcomes_pb2_grpc, scheduler_pb2, scheduler_pb2_grpc
from stablebrowse.webhooks.v1 import store_pb2, store_pb2_grpc
from tests.conftest import wait_terminal

HN = "https://news.ycombinator.com/"


def internal_calls(stack) -> dict:
    """One call of each internal service that hands out or reads tenant data, by name."""
    scheduler = f"127.0.0.1:{stack.ports['scheduler_port']}"
    indexer = f"127.0.0.1:{stack.ports['indexer_port']}"
    webhooks = f"127.0.0.1:{stack.ports['webhooks_port']}"
    return {
        "ClaimTask": (scheduler, lambda ch, **kw: scheduler_pb2_grpc.SchedulerServiceStub(ch).ClaimTask(
            scheduler_pb2.ClaimTaskRequest(task_id="0" * 32, worker_id="intruder"), **kw)),
        "GetTask": (scheduler, lambda ch, **kw: scheduler_pb2_grpc.SchedulerServiceStub(ch).GetTask(
            scheduler_pb2.GetTaskRequest(business_id="biz_someone", task_id="0" * 32), **kw)),
        "SubmitTask": (scheduler, lambda ch, **kw: scheduler_pb2_grpc.SchedulerServiceStub(ch).SubmitTask(
            scheduler_pb2.SubmitTaskRequest(business_id="biz_someone", end_user_id="u", task="t", max_steps=5), **kw)),
        "Answer": (indexer, lambda ch, **kw: indexer_pb2_grpc.IndexerServiceStub(ch).Answer(
            indexer_pb2.AnswerRequest(task="What is the title of the top story?", start_url=HN), **kw)),
        "ListSealedCredentials": (scheduler, lambda ch, **kw: accounts_pb2_grpc.AccountServiceStub(ch)
                                  .ListSealedCredentials(accounts_pb2.ListSealedCredentialsRequest(), **kw)),
        "GetOutcome": (scheduler, lambda ch, **kw: outcomes_pb2_grpc.TaskOutcomesStub(ch).GetOutcome(
            outcomes_pb2.GetOutcomeRequest(task_id="0" * 32), **kw)),
        "GetWebhook": (webhooks, lambda ch, **kw: store_pb2_grpc.WebhookStoreStub(ch).GetWebhook(
            store_pb2.BusinessRequest(business_id="biz_someone"), **kw)),
        "ListSealedSecrets": (webhooks, lambda ch, **kw: store_pb2_grpc.WebhookStoreStub(ch).ListSealedSecrets(
            store_pb2.ListSealedSecretsRequest(), **kw)),
    }


async def call(stack, name: str, metadata: tuple = ()) -> grpc.aio.AioRpcError | None:
    target, invoke = internal_calls(stack)[name]
    async with grpc.aio.insecure_channel(target) as channel:
        try:
            await invoke(channel, metadata=metadata, timeout=10)
        except grpc.aio.AioRpcError as exc:
            return exc
    return None


@pytest.mark.parametrize("name", ["ClaimTask", "GetTask", "SubmitTask", "Answer", "ListSealedCredentials",
                                  "GetOutcome", "GetWebhook", "ListSealedSecrets"])
async def test_a_call_without_the_token_is_refused_unauthenticated(stack, name):
    refused = await call(stack, name)
    assert refused is not None and refused.code() == grpc.StatusCode.UNAUTHENTICATED, refused
    assert refused.details() == "internal credential missing"


@pytest.mark.parametrize("name", ["ClaimTask", "Answer", "GetWebhook"])
async def test_a_wrong_token_is_refused_unauthenticated(stack, name):
    wrong = stack.internal_token[:-1] + ("A" if stack.internal_token[-1] != "A" else "B")
    for metadata in ((("authorization", f"Bearer {wrong}"),), (("authorization", stack.internal_token),)):
        refused = await call(stack, name, metadata)
        assert refused is not None and refused.code() == grpc.StatusCode.UNAUTHENTICATED, (metadata, refused)


async def test_the_deployments_token_is_let_through(stack):
    bearer = (("authorization", f"Bearer {stack.internal_token}"),)
    unknown = await call(stack, "GetTask", bearer)
    assert unknown is not None and unknown.code() == grpc.StatusCode.NOT_FOUND  # past auth, into the service
    assert await call(stack, "Answer", bearer) is None


@pytest.mark.parametrize("port", ["scheduler_port", "indexer_port", "browser_port", "webhooks_port"])
async def test_health_checks_need_no_token(stack, port):
    async with grpc.aio.insecure_channel(f"127.0.0.1:{stack.ports[port]}") as channel:
        reply = await health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=5)
    assert reply.status == health_pb2.HealthCheckResponse.SERVING


def test_a_task_runs_end_to_end_with_internal_auth_on(api):
    """gateway → scheduler (submit, get), worker → scheduler (claim), worker → indexer (answer):
    an indexed answer is only possible if all of them carried the token."""
    response = api.post("/v1/tasks", json={"endUserId": "e2e", "task": "What is the title of the top story?",
                                           "startUrl": HN})
    assert response.status_code == 201, response.text
    record = wait_terminal(api, response.json()["taskId"])
    assert record["status"] == "completed", record
    assert "indexed" in record["stepSummaries"][1]["msg"]
    assert record["result"] == hn.build_stories()[0].title


def test_the_dev_stack_token_is_owner_only_and_never_logged(stack):
    token_file = stack.state_dir / "internal.token"
    if token_file.exists():
        assert token_file.stat().st_mode & 0o777 == 0o600
    logs = list((stack.state_dir / "logs").glob("*.log")) + [stack.state_dir / "stack.log"]
    assert logs
    for path in logs:
        assert stack.internal_token not in path.read_text(errors="replace"), path.name


@pytest.mark.parametrize("token", ["", "short"])
async def test_a_service_without_a_usable_token_refuses_to_start(token):
    with pytest.raises(internal_auth.MissingInternalToken) as refused:
        await build_indexer(IndexerSettings(internal_token=token, internal_auth=True), "127.0.0.1:0")
    assert "STABLEBROWSE_INTERNAL_TOKEN" in str(refused.value)


def test_the_service_process_exits_without_a_token_and_says_why():
    unset = ("STABLEBROWSE_INTERNAL_TOKEN", "STABLEBROWSE_INTERNAL_AUTH")
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO / "gen"), str(REPO)])
    done = subprocess.run([sys.executable, "-m", "services.indexer"], env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 2
    assert "refusing to start" in done.stderr and "STABLEBROWSE_INTERNAL_TOKEN" in done.stderr
    assert "Traceback" not in done.stderr


async def test_auth_off_must_be_explicit_and_then_serves_without_a_token(caplog):
    built = await build_indexer(IndexerSettings(internal_token="", internal_auth=False, refresh=False),
                                "127.0.0.1:0")
    await built.server.start()
    try:
        async with grpc.aio.insecure_channel(f"127.0.0.1:{built.port}") as channel:
            stub = indexer_pb2_grpc.IndexerServiceStub(channel)
            await stub.Answer(indexer_pb2.AnswerRequest(task="hello"), timeout=10)
    finally:
        await built.stop(0)
    assert any("internal auth is off" in r.getMessage() and r.levelname == "WARNING" for r in caplog.records)


def healthz(base_url: str, deadline_s: float, want: int) -> int:
    """Polls GET /healthz until it answers `want` or the deadline passes; the last status."""
    deadline, status = time.monotonic() + deadline_s, 0
    while time.monotonic() < deadline and status != want:
        try:
            status = httpx.get(f"{base_url}/healthz", timeout=2).status_code
        except httpx.HTTPError:
            status = 0
        if status != want:
            time.sleep(0.2)
    return status


def test_envoy_healthz_follows_the_gateways_health(stack, tmp_path):
    """The chart's gateway listens on loopback; the kubelet probes it through Envoy's /healthz."""
    assert healthz(stack.base_url, 30, 200) == 200  # the stack's Envoy, in front of a serving gateway
    envoy = pathlib.Path(sys.executable).with_name("envoy")
    config = StackConfig.ephemeral(tmp_path)  # its gateway port: nothing listens there
    (tmp_path / "envoy.yaml").write_text(render_envoy_config(config))
    proc = subprocess.Popen([str(envoy), "-c", str(tmp_path / "envoy.yaml"), "--log-level", "error",
                             "--base-id", str(config.http_port)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        assert healthz(config.base_url, 60, 503) == 503
    finally:
        proc.terminate()
        proc.wait(30)
