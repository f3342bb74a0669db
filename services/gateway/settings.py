from services.common.internal_auth import InternalAuthSettings
from services.common.settings import BaseServiceSettings, MongoSettings, VaultSettings


class GatewaySettings(BaseServiceSettings, MongoSettings, VaultSettings, InternalAuthSettings):
    gateway_listen: str = "[::]:50051"
    scheduler_target: str = "127.0.0.1:50052"
    scheduler_timeout_seconds: float = 10.0
