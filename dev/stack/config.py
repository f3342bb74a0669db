"""What the local stack runs and where: ports, state directory, external endpoints."""
import dataclasses
import os
import pathlib
import secrets
from collections.abc import Callable
from typing import Any

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from dev.replica import tls
from dev.replica.server import SITES as REPLICA_SITES
from dev.stack.ports import free_ports
from services.common import vault

REPO = pathlib.Path(__file__).resolve().parents[2]

# The replica web's pages the local indexer keeps fresh (production keeps the real front page of HN
# fresh by default and reads every other page on demand: services/indexer/settings.py).
REPLICA_KEPT_FRESH = [
    "https://news.ycombinator.com/",
    "https://en.wikipedia.org/wiki/Port_Ellery", "https://en.wikipedia.org/wiki/Quill_(programming_language)",
    "https://en.wikipedia.org/wiki/Ilse_Brandvold",
    "https://www.amazon.com/dp/B0D7K3LQ9X", "https://www.amazon.com/dp/B0C9XW2M4R", "https://www.amazon.com/dp/B0F1TQ8ZJH",
    "https://www.airbnb.com/s/Lisbon/homes", "https://www.airbnb.com/s/Kyoto/homes",
]


class StackEnv(BaseSettings):
    """The local stack's environment: a port per part (STABLEBROWSE_<NAME>_PORT), and the parts a
    caller brings (then not started here) or sets for every service. Empty means not set."""

    model_config = SettingsConfigDict(env_prefix="STABLEBROWSE_", populate_by_name=True, extra="ignore")

    http_port: int = 8080
    envoy_admin_port: int = 9901
    gateway_port: int = 50051
    scheduler_port: int = 50052
    indexer_port: int = 50053
    browser_port: int = 50054
    webhooks_port: int = 50055
    kafka_port: int = 9092
    kafka_controller_port: int = 9093
    mongo_port: int = 27017
    replica_port: int = 9101
    llm_port: int = 8081
    # Each service's Prometheus /metrics (STABLEBROWSE_METRICS_PORT in that service's environment).
    scheduler_metrics_port: int = 9464
    indexer_metrics_port: int = 9465
    browser_metrics_port: int = 9466
    gateway_metrics_port: int = 9467
    webhooks_metrics_port: int = 9468
    external_kafka: str | None = Field(None, validation_alias="KAFKA_BOOTSTRAP_SERVERS")
    external_mongodb_uri: str | None = Field(None, validation_alias="MONGODB_URI")
    external_llm: str | None = Field(None, validation_alias="STABLEBROWSE_LLM_BASE_URL")
    host_map: str | None = None
    kept_fresh_pages: str | None = None
    secret_key: SecretStr | None = None
    internal_token: SecretStr | None = None

    @field_validator("*", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: Any) -> Any:
        return None if value == "" else value

    def ports(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in type(self).model_fields if name.endswith("_port")}

    def brought(self) -> dict[str, Any]:
        """StackConfig's fields for what the caller set."""
        return {name: getattr(self, name) for name in type(self).model_fields if not name.endswith("_port")}


@dataclasses.dataclass
class StackConfig:
    state_dir: pathlib.Path
    http_port: int
    envoy_admin_port: int
    gateway_port: int
    scheduler_port: int
    indexer_port: int
    browser_port: int
    webhooks_port: int
    kafka_port: int
    kafka_controller_port: int
    mongo_port: int
    replica_port: int
    llm_port: int
    scheduler_metrics_port: int
    indexer_metrics_port: int
    browser_metrics_port: int
    gateway_metrics_port: int
    webhooks_metrics_port: int
    # Set when the caller brings their own: then no local Kafka / MongoDB is started.
    external_kafka: str | None = None
    external_mongodb_uri: str | None = None
    # The dev business is created on first start and its key kept in state_dir.
    dev_key: bool = True
    # Set when the caller brings an OpenAI-compatible endpoint: then no local model is started.
    external_llm: str | None = None
    # The caller's STABLEBROWSE_HOST_MAP / _KEPT_FRESH_PAGES / _SECRET_KEY / _INTERNAL_TOKEN, if set.
    host_map: str | None = None
    kept_fresh_pages: str | None = None
    secret_key: SecretStr | None = None
    internal_token: SecretStr | None = None
    components: tuple[str, ...] = ("replica", "mongo", "kafka", "llm", "scheduler", "webhooks", "indexer", "browser",
                                   "gateway", "envoy")

    @classmethod
    def from_env(cls, state_dir: pathlib.Path | None = None) -> "StackConfig":
        env = StackEnv()
        return cls(state_dir=state_dir or REPO / ".run", **env.ports(), **env.brought())

    @classmethod
    def ephemeral(cls, state_dir: pathlib.Path) -> "StackConfig":
        """Every port free and chosen now, and a Kafka of its own: for tests and benchmarks beside
        a running dev stack."""
        env = StackEnv()
        ports: dict[str, Any] = free_ports(list(env.ports()), blocks={"replica_port": len(REPLICA_SITES)})
        brought = {**env.brought(), "external_kafka": None}
        return cls(state_dir=state_dir, dev_key=False, **ports, **brought)

    @property
    def kafka_bootstrap(self) -> str:
        return self.external_kafka or f"127.0.0.1:{self.kafka_port}"

    @property
    def mongodb_uri(self) -> str:
        return self.external_mongodb_uri or f"mongodb://127.0.0.1:{self.mongo_port}/"

    @property
    def replica_sites(self) -> dict[str, int]:
        """The replica web: each known site on its own port, from replica_port up."""
        return {host: self.replica_port + i for i, host in enumerate(REPLICA_SITES)}

    def service_host_map(self) -> str:
        """The caller's STABLEBROWSE_HOST_MAP if set, else the local replica web."""
        return self.host_map or ",".join(f"{host}=127.0.0.1:{port}" for host, port in self.replica_sites.items())

    @property
    def replica_cert(self) -> pathlib.Path:
        """The replica web's self-signed certificate (dev/replica/tls.py)."""
        return self.state_dir / "replica-tls" / "cert.pem"

    def replica_spki(self) -> str:
        """The replica certificate's public-key hash, which the browser worker trusts."""
        cert, _ = tls.ensure_cert(self.replica_cert.parent, list(self.replica_sites))
        return tls.spki_hash(cert)

    @property
    def llm_base_url(self) -> str:
        return self.external_llm or f"http://127.0.0.1:{self.llm_port}/v1"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def logs_dir(self) -> pathlib.Path:
        return self.state_dir / "logs"

    def service_env(self) -> dict[str, str]:
        """Environment for every service process: the caller's, plus where the parts are."""
        env = dict(os.environ)
        env.update(
            MONGODB_URI=self.mongodb_uri,
            KAFKA_BOOTSTRAP_SERVERS=self.kafka_bootstrap,
            STABLEBROWSE_GATEWAY_LISTEN=f"127.0.0.1:{self.gateway_port}",
            STABLEBROWSE_SCHEDULER_LISTEN=f"127.0.0.1:{self.scheduler_port}",
            STABLEBROWSE_INDEXER_LISTEN=f"127.0.0.1:{self.indexer_port}",
            STABLEBROWSE_BROWSER_LISTEN=f"127.0.0.1:{self.browser_port}",
            STABLEBROWSE_WEBHOOKS_LISTEN=f"127.0.0.1:{self.webhooks_port}",
            STABLEBROWSE_SCHEDULER_TARGET=f"127.0.0.1:{self.scheduler_port}",
            STABLEBROWSE_INDEXER_TARGET=f"127.0.0.1:{self.indexer_port}",
            STABLEBROWSE_WEBHOOKS_TARGET=f"127.0.0.1:{self.webhooks_port}",
            STABLEBROWSE_HOST_MAP=self.service_host_map(),
            STABLEBROWSE_LLM_BASE_URL=self.llm_base_url,
            STABLEBROWSE_REPLICA_SPKI=self.replica_spki(),
            STABLEBROWSE_CHROMIUM_SANDBOX="false",  # services run as root here, where Chromium's sandbox cannot
            STABLEBROWSE_KEPT_FRESH_PAGES=self.kept_fresh_pages or ",".join(REPLICA_KEPT_FRESH),
            STABLEBROWSE_SECRET_KEY=self.secret_key.get_secret_value() if self.secret_key else self.dev_secret_key(),
            STABLEBROWSE_INTERNAL_TOKEN=(self.internal_token.get_secret_value() if self.internal_token
                                         else self.dev_internal_token()),
            PYTHONPATH=os.pathsep.join([str(REPO / "gen"), str(REPO)]),
            PYTHONUNBUFFERED="1",
        )
        env["STABLEBROWSE_SHARE_SECRET"] = os.environ.get("STABLEBROWSE_SHARE_SECRET") or self.dev_share_secret()
        return env

    def dev_secret_key(self) -> str:
        """The vault key of a stack without STABLEBROWSE_SECRET_KEY: made on first start, kept
        (owner-only) in the state dir so stored credentials survive restarts."""
        return self._state_secret("secret.key", vault.new_key)

    def dev_internal_token(self) -> str:
        """The services' shared token of a stack without STABLEBROWSE_INTERNAL_TOKEN
        (services/common/internal_auth.py): made on first start, kept owner-only in the state dir."""
        return self._state_secret("internal.token", lambda: secrets.token_urlsafe(32))

    def dev_share_secret(self) -> str:
        """The share links' signing key of a stack without STABLEBROWSE_SHARE_SECRET
        (services/gateway/share_token.py): made on first start, kept owner-only in the state dir."""
        return self._state_secret("share.secret", lambda: secrets.token_urlsafe(32))

    def _state_secret(self, name: str, make: Callable[[], str]) -> str:
        path = self.state_dir / name
        if not path.exists():
            self.state_dir.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(make() + "\n")
        return path.read_text().strip()

    def metrics_urls(self) -> dict[str, str]:
        return {name: f"http://127.0.0.1:{getattr(self, f'{name}_metrics_port')}/metrics"
                for name in ("scheduler", "indexer", "browser", "gateway", "webhooks")}

    def to_json(self) -> dict:
        return {
            "baseUrl": self.base_url,
            "mongodbUri": self.mongodb_uri,
            "kafkaBootstrapServers": self.kafka_bootstrap,
            "llmBaseUrl": self.llm_base_url,
            "ports": {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name.endswith("_port")},
            "metricsUrls": self.metrics_urls(),
        }
