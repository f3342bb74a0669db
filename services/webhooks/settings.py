from services.common.settings import BaseServiceSettings, KafkaSettings, MongoSettings, VaultSettings

# Seconds to wait after each failed attempt: 11 attempts over about 23.7 hours.
DEFAULT_RETRY_DELAYS = "5,30,120,600,1800,3600,7200,14400,28800,28800"


class WebhookSettings(BaseServiceSettings, MongoSettings, KafkaSettings, VaultSettings):
    webhooks_listen: str = "[::]:50055"
    # Comma-separated host names delivered to without the public-address check (e.g. a
    # local listener in development). Empty in production.
    webhook_allowed_hosts: str = ""
    # Comma-separated seconds between attempts; one more attempt than delays, then "failed".
    webhook_retry_delays: str = DEFAULT_RETRY_DELAYS
    webhook_timeout_seconds: float = 10.0
    # How long an outcome event may wait for the projection to make the task document terminal.
    webhook_settle_seconds: float = 10.0
    webhook_poll_seconds: float = 1.0
    webhook_concurrency: int = 16

    def retry_delays(self) -> list[float]:
        return [float(part) for part in self.webhook_retry_delays.split(",") if part.strip()]

    def allowed_hosts(self) -> frozenset[str]:
        return frozenset(h.strip().lower() for h in self.webhook_allowed_hosts.split(",") if h.strip())
