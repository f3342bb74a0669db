from pydantic import SecretStr

from services.common.internal_auth import InternalAuthSettings
from services.common.settings import BaseServiceSettings, KafkaSettings, MongoSettings, VaultSettings


class GatewaySettings(BaseServiceSettings, MongoSettings, KafkaSettings, VaultSettings, InternalAuthSettings):
    gateway_listen: str = "[::]:50051"
    scheduler_target: str = "127.0.0.1:50052"
    scheduler_timeout_seconds: float = 10.0
    # GET /v1/tasks/{id}/events: a keep-alive comment (and a re-read of the record) this often while idle.
    events_keepalive_seconds: float = 15.0
    # Share links (POST /v1/tasks/{id}/share): the HMAC key of their tokens (at least 32
    # characters; empty: share links are off), and the public address links start with
    # (empty: the scheme and host the caller used).
    share_secret: SecretStr = SecretStr("")
    public_url: str = ""
