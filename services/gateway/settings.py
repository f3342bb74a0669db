from pydantic import Field

from services.common.internal_auth import InternalAuthSettings
from services.common.settings import BaseServiceSettings, KafkaSettings, VaultSettings
from services.gateway.share_links import ShareSettings


class GatewaySettings(BaseServiceSettings, KafkaSettings, VaultSettings, InternalAuthSettings,
                      ShareSettings):
    gateway_listen: str = "[::]:50051"
    # The scheduler (tasks, API keys, credentials) and the webhooks service (webhook
    # configurations and deliveries): the gateway holds no database client of its own.
    scheduler_target: str = "127.0.0.1:50052"
    webhooks_target: str = "127.0.0.1:50055"
    # Each call to either.
    scheduler_timeout_seconds: float = 10.0
    # GET /v1/tasks/{id}/events: a keep-alive comment (and a re-read of the record) this often while idle.
    events_keepalive_seconds: float = 15.0
    # An API key the scheduler found is remembered this long (at most 1 s: a revoked key is
    # refused within it); 0 looks every request's key up.
    api_key_cache_seconds: float = Field(1.0, ge=0, le=1)
