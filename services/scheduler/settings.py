from services.common.internal_auth import InternalAuthSettings
from services.common.settings import BaseServiceSettings, KafkaSettings, MongoSettings


class SchedulerSettings(BaseServiceSettings, MongoSettings, KafkaSettings, InternalAuthSettings):
    scheduler_listen: str = "[::]:50052"
    # A running task whose worker has not been heard from for this long is reaped.
    # Workers heartbeat every ~2 s while running a task.
    worker_silence_seconds: float = 20.0
    # A pending task no worker has claimed for this long ends failed (timeout).
    pending_timeout_seconds: float = 600.0
    reaper_interval_seconds: float = 5.0
