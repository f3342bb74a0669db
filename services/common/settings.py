"""Settings shared by every service; each service extends BaseServiceSettings."""
from typing import TYPE_CHECKING, Annotated

from pydantic import BeforeValidator, Field, SecretStr
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from services.common import hostmap

if TYPE_CHECKING:
    from services.common.vault import Vault


def _comma_separated(value: object) -> object:
    """ "a, b,,c" -> ["a", "b", "c"]; values that are not text (set in code) as they are."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


def _host_names(value: object) -> object:
    listed = _comma_separated(value)
    return frozenset(str(host).lower() for host in listed) if isinstance(listed, list | set | frozenset) else listed


def _host_map(value: object) -> object:
    return hostmap.parse(value) if isinstance(value, str) else value


# Comma-separated in the environment ("a.test, b.test"), held parsed.
HostNames = Annotated[frozenset[str], NoDecode, BeforeValidator(_host_names)]
Numbers = Annotated[list[float], NoDecode, BeforeValidator(_comma_separated)]
# STABLEBROWSE_HOST_MAP's format (services/common/hostmap.py): host -> ip:port.
HostMap = Annotated[dict[str, str], NoDecode, BeforeValidator(_host_map)]


class BaseServiceSettings(BaseSettings):
    """Read from the environment; names are upper-case with the STABLEBROWSE_ prefix unless aliased."""

    model_config = SettingsConfigDict(env_prefix="STABLEBROWSE_", populate_by_name=True, extra="ignore")

    log_level: str = "INFO"
    shutdown_grace_seconds: float = 5.0


class MongoSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="STABLEBROWSE_", populate_by_name=True, extra="ignore")

    mongodb_uri: str = Field("mongodb://127.0.0.1:27017/", validation_alias="MONGODB_URI")
    mongodb_database: str = "stablebrowse"


class KafkaSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="STABLEBROWSE_", populate_by_name=True, extra="ignore")

    kafka_bootstrap_servers: str = Field("127.0.0.1:9092", validation_alias="KAFKA_BOOTSTRAP_SERVERS")
    topic_prefix: str = "stablebrowse"


class VaultSettings(BaseSettings):
    """Keys of the credential vault (services/common/vault.py); empty: no credential storage."""

    model_config = SettingsConfigDict(env_prefix="STABLEBROWSE_", populate_by_name=True, extra="ignore")

    secret_key: SecretStr = SecretStr("")
    secret_key_previous: SecretStr = SecretStr("")

    def vault(self) -> "Vault | None":
        from services.common import vault

        return vault.maybe(self.secret_key.get_secret_value(), self.secret_key_previous.get_secret_value())
