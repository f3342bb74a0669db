from services.common.internal_auth import InternalAuthSettings
from services.common.settings import BaseServiceSettings, KafkaSettings, MongoSettings, VaultSettings
from services.gateway.share_links import ShareSettings


class GatewaySettings(BaseServiceSettings, MongoSettings, KafkaSettings, VaultSettings, InternalAuthSettings,
                      ShareSettings):
    gateway_listen: str = "[::]:50051"
    scheduler_target: str = "127.0.0.1:50052"
    scheduler_timeout_seconds: float = 10.0
    # GET /v1/tasks/{id}/events: a keep-alive comment (and a re-read of the record) this often while idle.
    events_keepalive_seconds: float = 15.0
