from services.common.internal_auth import InternalAuthSettings
from services.common.settings import BaseServiceSettings, HostNames, KafkaSettings, MongoSettings, Numbers, VaultSettings

# Seconds to wait after each failed attempt: 11 attempts over about 23.7 hours.
DEFAULT_RETRY_DELAYS = [5.0, 30.0, 120.0, 600.0, 1800.0, 3600.0, 7200.0, 14400.0, 28800.0, 28800.0]


class WebhookSettings(BaseServiceSettings, MongoSettings, KafkaSettings, VaultSettings, InternalAuthSettings):
    webhooks_listen: str = "[::]:50055"
    # The scheduler, which owns `tasks`: the intake asks it how each task ended.
    scheduler_target: str = "127.0.0.1:50052"
    # Comma-separated host names delivered to without the public-address check (e.g. a
    # local listener in development). Empty in production.
    webhook_allowed_hosts: HostNames = frozenset()
    # Comma-separated seconds between attempts; one more attempt than delays, then "failed".
    webhook_retry_delays: Numbers = DEFAULT_RETRY_DELAYS
    webhook_timeout_seconds: float = 10.0
    # How long an outcome event may wait for the projection to make the task document terminal.
    webhook_settle_seconds: float = 10.0
    webhook_poll_seconds: float = 1.0
    webhook_concurrency: int = 16

