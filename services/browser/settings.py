import os
import socket

from pydantic import Field

from services.common.internal_auth import InternalAuthSettings
from services.common.settings import BaseServiceSettings, HostMap, HostNames, KafkaSettings, VaultSettings


class BrowserSettings(BaseServiceSettings, KafkaSettings, VaultSettings, InternalAuthSettings):
    browser_listen: str = "[::]:50054"
    scheduler_target: str = "127.0.0.1:50052"
    indexer_target: str = "127.0.0.1:50053"
    # Ask the indexer before opening a browser (STABLEBROWSE_FAST_PATH=off: never), within this deadline.
    fast_path: bool = True
    indexer_timeout_ms: int = 2500
    chromium_path: str = "/usr/bin/chromium"
    # Chromium's own sandbox (needs a non-root user); the local dev stack, which runs as root, turns it off.
    chromium_sandbox: bool = True
    host_map: HostMap = {}
    # base64 SHA-256 of a certificate's public key that Chromium trusts (local stack only:
    # the replica web's self-signed certificate, for https replicas). Empty in production.
    replica_spki: str = ""
    worker_concurrency: int = 2
    task_timeout_ms: int = 180_000
    heartbeat_seconds: float = 2.0
    worker_id: str = f"{socket.gethostname()}-{os.getpid()}"
    llm_base_url: str = ""
    llm_api_key: str = ""
    llm_model: str = "qwen2.5-coder-1.5b-instruct"
    # Prompt + completion tokens one task may spend on the model; past it the task fails budget_exceeded.
    task_token_budget: int = Field(default=150_000, ge=1)
    # Each step's JPEG of the viewport (services/browser/screenshots.py): its quality, and how long
    # a step may wait for it (past that the step has none).
    screenshot_quality: int = Field(default=55, ge=1, le=100)
    screenshot_timeout_ms: int = Field(default=2000, ge=1)
    # Hosts the browser may reach even though they resolve to private addresses (comma-separated).
    allowed_hosts: HostNames = frozenset()
