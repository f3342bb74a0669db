"""Prometheus metrics of every service, and the request id in every service's log lines,
against the real stack (the scripted LLM only)."""
import json
import time
import uuid

import httpx
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.structs import OffsetAndMetadata
from prometheus_client.parser import text_string_to_metric_families

from services.common import lag
from tests.conftest import wait_terminal
from tests.scripted_llm import finish

HN = "https://news.ycombinator.com/"
SERVICES = ("gateway", "scheduler", "indexer", "browser", "webhooks")


def scrape(stack, service: str) -> dict[tuple, float]:
    """{(sample name, sorted labels): value} of one service's /metrics."""
    urls = json.loads((stack.state_dir / "stack.json").read_text())["metricsUrls"]  # what `make status` shows
    text = httpx.get(urls[service], timeout=10).text
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def value(samples: dict, name: str, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_every_service_serves_metrics_on_its_own_port(stack):
    ports = {stack.ports[f"{s}_metrics_port"] for s in SERVICES}
    assert len(ports) == len(SERVICES)
    for service in SERVICES:
        assert any(name.startswith("stablebrowse_") for name, _ in scrape(stack, service)), service
    assert value(scrape(stack, "browser"), "stablebrowse_browser_slots_total") == 2  # worker_concurrency
    lag_sample = ("stablebrowse_dispatch_lag", (("group", "stablebrowse-browser"),))
    deadline = time.monotonic() + 60  # sampled every STABLEBROWSE_LAG_INTERVAL_SECONDS, first at start
    while lag_sample not in scrape(stack, "scheduler"):
        assert time.monotonic() < deadline, "the scheduler never sampled the dispatch lag"
        time.sleep(0.2)


def test_indexed_answer_counts_a_completed_task_on_the_indexed_path(stack, api):
    before = scrape(stack, "scheduler")  # answered at submit (services/scheduler/fastpath.py)
    task = api.post("/v1/tasks", json={"endUserId": "m", "task": "What is the title of the top story?", "startUrl": HN})
    record = wait_terminal(api, task.json()["taskId"])
    assert record["status"] == "completed"
    after = scrape(stack, "scheduler")
    labels = {"status": "completed", "error_code": "", "path": "indexed"}
    assert value(after, "stablebrowse_tasks_total", **labels) == value(before, "stablebrowse_tasks_total", **labels) + 1
    count = "stablebrowse_task_duration_seconds_count"
    assert value(after, count, path="indexed") == value(before, count, path="indexed") + 1
    assert value(after, count, path="browser") == value(before, count, path="browser")


def test_browser_task_counts_its_error_code_steps_and_llm_tokens(stack, api, llm):
    before = scrape(stack, "browser")
    failed = api.post("/v1/tasks", json={"endUserId": "m", "task": "Read it", "startUrl": "http://no-such-host.invalid/"})
    assert wait_terminal(api, failed.json()["taskId"])["errorCode"] == "navigation_error"
    script = llm.script(finish("done"))
    done = api.post("/v1/tasks", json={"endUserId": "m", "task": f"Say done ({script.marker})", "startUrl": HN,
                                       "maxSteps": 2})
    record = wait_terminal(api, done.json()["taskId"])
    assert record["status"] == "completed"
    after = scrape(stack, "browser")

    def grew(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    assert grew("stablebrowse_tasks_total", status="failed", error_code="navigation_error", path="browser") == 1
    assert grew("stablebrowse_tasks_total", status="completed", error_code="", path="browser") == 1
    assert grew("stablebrowse_step_duration_seconds_count", type="finalize") >= 1
    assert grew("stablebrowse_llm_request_seconds_count") == record["usage"]["llmCalls"]
    assert grew("stablebrowse_llm_tokens_total", kind="prompt") == record["usage"]["promptTokens"]
    assert grew("stablebrowse_llm_tokens_total", kind="completion") == record["usage"]["completionTokens"]


def test_gateway_counts_public_calls_by_http_status(stack, api):
    before = scrape(stack, "gateway")
    assert api.get(f"/v1/tasks/{'0' * 32}").status_code == 404
    assert api.post("/v1/tasks", json={"endUserId": "m", "task": " "}).status_code == 400
    assert api.get("/v1/tasks").status_code == 200
    after = scrape(stack, "gateway")
    for code in ("404", "400", "200"):
        grown = value(after, "stablebrowse_http_requests_total", code=code) - value(before, "stablebrowse_http_requests_total", code=code)
        assert grown == 1, code


def test_quota_refusal_is_counted_by_its_limit(stack, api, business):
    stack.admin("quota", "set", business["businessId"], "--requests-per-minute", "1")
    before = scrape(stack, "scheduler")
    body = {"endUserId": "m", "task": "What is the title of the top story?", "startUrl": HN}
    assert api.post("/v1/tasks", json=body).status_code == 201
    assert api.post("/v1/tasks", json=body).status_code == 429
    after = scrape(stack, "scheduler")
    name = "stablebrowse_quota_rejections_total"
    assert value(after, name, quota="requests_per_minute") == value(before, name, quota="requests_per_minute") + 1
    assert value(after, "stablebrowse_http_requests_total", code="429") == 0  # counted at the gateway only
    assert value(scrape(stack, "gateway"), "stablebrowse_http_requests_total", code="429") >= 1


def log_lines(stack, service: str) -> list[dict]:
    lines = []
    for line in (stack.state_dir / "logs" / f"{service}.log").read_text(errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict):
            lines.append(entry)
    return lines


def test_request_id_from_the_caller_is_in_every_log_line_of_the_task(stack, api):
    rid = f"req-{uuid.uuid4().hex}"
    task = api.post("/v1/tasks", headers={"X-Request-Id": rid}, json={"endUserId": "m", "task": "Read it",
                                                                         "startUrl": "http://no-such-host.invalid/"})
    task_id = task.json()["taskId"]
    wait_terminal(api, task_id)
    deadline = time.monotonic() + 30
    while not any(e.get("task_id") == task_id and e["msg"] == "task finished" for e in log_lines(stack, "browser")):
        assert time.monotonic() < deadline, "the worker never logged the task's end"
        time.sleep(0.1)
    about_task = {s: [e for e in log_lines(stack, s) if e.get("task_id") == task_id] for s in SERVICES}
    assert about_task["browser"] and about_task["scheduler"]
    for service, entries in about_task.items():
        wrong = [(e["msg"], e.get("request_id")) for e in entries if e.get("request_id") != rid]
        assert not wrong, f"{service}: {wrong} (want {rid})"


@pytest.fixture
async def kafka_admin(stack):
    admin = AIOKafkaAdminClient(bootstrap_servers=stack.kafka)
    await admin.start()
    yield admin
    await admin.close()


async def test_group_lag_is_end_offsets_minus_committed_ones(stack, kafka_admin):
    topic, group = f"lag-{uuid.uuid4().hex[:8]}", f"group-{uuid.uuid4().hex[:8]}"
    await kafka_admin.create_topics([NewTopic(topic, 2, 1)])
    producer = AIOKafkaProducer(bootstrap_servers=stack.kafka)
    reader = AIOKafkaConsumer(bootstrap_servers=stack.kafka, enable_auto_commit=False)
    committer = AIOKafkaConsumer(bootstrap_servers=stack.kafka, group_id=group, enable_auto_commit=False)
    await producer.start()
    await reader.start()
    await committer.start()
    try:
        for _ in range(5):
            await producer.send_and_wait(topic, b"x", partition=0)
        for _ in range(3):
            await producer.send_and_wait(topic, b"x", partition=1)
        assert await lag.group_lag(kafka_admin, reader, topic, group) == 8  # nothing committed yet
        committer.assign([TopicPartition(topic, 0), TopicPartition(topic, 1)])
        await committer.commit({TopicPartition(topic, 0): OffsetAndMetadata(4, "")})
        assert await lag.group_lag(kafka_admin, reader, topic, group) == 1 + 3
    finally:
        await committer.stop()
        await reader.stop()
        await producer.stop()
