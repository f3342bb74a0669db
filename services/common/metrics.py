"""Every Prometheus metric of stablebrowse, in one place (names and labels: docs/operations.md).

Each service serves its metrics on its own port (STABLEBROWSE_METRICS_PORT; 0 = none), started
by runtime.serve_until_signalled. Labels hold only bounded values: never a business, a task or
an end user. Counting places call the small helpers below, one line each."""
import contextlib
import logging
import time
from collections.abc import Iterator
from typing import Any

import grpc
from prometheus_client import Counter, Gauge, Histogram, start_http_server
from pydantic_settings import BaseSettings, SettingsConfigDict

log = logging.getLogger(__name__)

TASKS = Counter("stablebrowse_tasks", "Tasks that ended, by outcome and by path (indexed|browser).",
                ["status", "error_code", "path"])
TASK_DURATION = Histogram("stablebrowse_task_duration_seconds", "From claim to outcome, by path.", ["path"],
                          buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 40, 60, 120, 180, 300))
STEP_DURATION = Histogram("stablebrowse_step_duration_seconds", "Time since the previous step (or the claim), by step type.",
                          ["type"], buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60))
LLM_TOKENS = Counter("stablebrowse_llm_tokens", "LLM tokens used, prompt or completion.", ["kind"])
LLM_REQUEST = Histogram("stablebrowse_llm_request_seconds", "One chat completion call, retries included.",
                        buckets=(0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60, 120))
BROWSER_SLOTS_IN_USE = Gauge("stablebrowse_browser_slots_in_use", "Browser contexts open on this worker.")
BROWSER_SLOTS_TOTAL = Gauge("stablebrowse_browser_slots_total", "Browser contexts this worker may open at once.")
DISPATCH_LAG = Gauge("stablebrowse_dispatch_lag", "Dispatches not yet committed by a consumer group.", ["group"])
HTTP_REQUESTS = Counter("stablebrowse_http_requests", "Public API calls at the gateway, by HTTP status.", ["code"])
QUOTA_REJECTIONS = Counter("stablebrowse_quota_rejections", "Submissions refused by a quota (429), by limit.", ["quota"])

# What Envoy's transcoder answers for each gRPC status (google/rpc/code.proto's mapping).
HTTP_STATUS = {
    grpc.StatusCode.OK: 200, grpc.StatusCode.CANCELLED: 499, grpc.StatusCode.UNKNOWN: 500,
    grpc.StatusCode.INVALID_ARGUMENT: 400, grpc.StatusCode.DEADLINE_EXCEEDED: 504, grpc.StatusCode.NOT_FOUND: 404,
    grpc.StatusCode.ALREADY_EXISTS: 409, grpc.StatusCode.PERMISSION_DENIED: 403, grpc.StatusCode.UNAUTHENTICATED: 401,
    grpc.StatusCode.RESOURCE_EXHAUSTED: 429, grpc.StatusCode.FAILED_PRECONDITION: 400, grpc.StatusCode.ABORTED: 409,
    grpc.StatusCode.OUT_OF_RANGE: 400, grpc.StatusCode.UNIMPLEMENTED: 501, grpc.StatusCode.INTERNAL: 500,
    grpc.StatusCode.UNAVAILABLE: 503, grpc.StatusCode.DATA_LOSS: 500,
}


class MetricsSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="STABLEBROWSE_", extra="ignore")

    metrics_port: int = 0
    metrics_address: str = "0.0.0.0"
    lag_interval_seconds: float = 10.0  # how often the scheduler samples stablebrowse_dispatch_lag


def serve_from_env() -> int:
    """Starts the /metrics endpoint when STABLEBROWSE_METRICS_PORT is set; returns the port (0: none)."""
    settings = MetricsSettings()
    if settings.metrics_port:
        start_http_server(settings.metrics_port, settings.metrics_address)
        log.info("metrics served", extra={"port": settings.metrics_port})
    return settings.metrics_port


def task_ended(path: str, status: str, error_code: str, seconds: float) -> None:
    TASKS.labels(status=status, error_code=error_code, path=path).inc()
    TASK_DURATION.labels(path=path).observe(seconds)


def llm_used(usage: Any, seconds: float) -> None:
    """`usage`: the OpenAI response's (None when the endpoint did not say)."""
    LLM_REQUEST.observe(seconds)
    if usage is not None:
        LLM_TOKENS.labels(kind="prompt").inc(usage.prompt_tokens or 0)
        LLM_TOKENS.labels(kind="completion").inc(usage.completion_tokens or 0)


@contextlib.contextmanager
def browser_slot() -> Iterator[None]:
    with BROWSER_SLOTS_IN_USE.track_inprogress():
        yield


def http_request(code: grpc.StatusCode) -> None:
    HTTP_REQUESTS.labels(code=str(HTTP_STATUS.get(code, 500))).inc()


class StepClock:
    """Times steps: each one from the previous (or from when the clock was made)."""

    def __init__(self) -> None:
        self.last = time.monotonic()

    def step(self, type_: str) -> None:
        now = time.monotonic()
        STEP_DURATION.labels(type=type_).observe(now - self.last)
        self.last = now
