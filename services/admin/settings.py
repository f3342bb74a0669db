from services.common.internal_auth import InternalAuthSettings
from services.common.settings import VaultSettings


class AdminSettings(VaultSettings, InternalAuthSettings):
    """Where the owners of the collections listen, named as in the gateway's settings (the CLI
    runs anywhere the gateway's environment is: the same targets, internal token and vault keys)."""

    scheduler_target: str = "127.0.0.1:50052"
    webhooks_target: str = "127.0.0.1:50055"
    scheduler_timeout_seconds: float = 10.0
