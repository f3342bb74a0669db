import os
import socket

from services.common.settings import BaseServiceSettings, KafkaSettings


class BrowserSettings(BaseServiceSettings, KafkaSettings):
    browser_listen: str = "[::]:50054"
    scheduler_target: str = "127.0.0.1:50052"
    indexer_target: str = "127.0.0.1:50053"
    chromium_path: str = "/usr/bin/chromium"
    host_map: str = ""
    worker_concurrency: int = 2
    task_timeout_ms: int = 180_000
    worker_id: str = f"{socket.gethostname()}-{os.getpid()}"
