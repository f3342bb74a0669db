from services.common.settings import BaseServiceSettings, KafkaSettings, MongoSettings


class SchedulerSettings(BaseServiceSettings, MongoSettings, KafkaSettings):
    scheduler_listen: str = "[::]:50052"
    # A running task whose worker has not been heard from for this long is reaped.
    worker_silence_seconds: float = 240.0
    # A pending task no worker has claimed for this long ends failed (timeout).
    pending_timeout_seconds: float = 600.0
    reaper_interval_seconds: float = 10.0
