from pydantic import Field

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
    # The browser workers' TASK_TIMEOUT_MS (same name, same default): a running task is
    # ended `timeout` at claim + this + task_deadline_slack_seconds, whatever heartbeats say.
    task_timeout_ms: int = 180_000
    task_deadline_slack_seconds: float = 15.0
    # How often businesses.active_tasks is checked against the tasks holding a slot.
    reconcile_interval_seconds: float = 60.0
    # Step screenshots older than this are deleted (a pass every 10 minutes).
    screenshot_retention_hours: float = Field(default=168.0, gt=0)
    # Indexed answers at submit (scheduler/fastpath.py): the indexer is asked within this
    # deadline before a task is queued; STABLEBROWSE_SUBMIT_FAST_PATH=off never asks it here
    # (the workers still do, unless their STABLEBROWSE_FAST_PATH is off).
    indexer_target: str = "127.0.0.1:50053"
    submit_fast_path: bool = True
    submit_indexer_timeout_ms: int = 150
    # A recipe whose replay diverged this many times in a row is retired (scheduler/recipes.py).
    recipe_max_divergences: int = Field(default=3, ge=1)

    def task_deadline_seconds(self) -> float:
        return self.task_timeout_ms / 1000 + self.task_deadline_slack_seconds
