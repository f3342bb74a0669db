"""The CLI's watching and control: `run` follows the task's event stream (falling back to
polling when the stream is unavailable), `stablebrowse cancel ID`, `stablebrowse share ID`."""
from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any, Protocol

from ._client import Client
from ._errors import AuthenticationError, PermissionDeniedError, StablebrowseError, TaskTimeoutError
from ._events import DoneEvent, StepEvent
from ._models import StepSummary, Task

COMPLETED = 0
FATAL = (TaskTimeoutError, AuthenticationError, PermissionDeniedError)  # polling would not do better


class StepPrinter(Protocol):
    def step(self, step: StepSummary) -> Any: ...


def add_parsers(sub: Any) -> None:
    cancel = sub.add_parser("cancel", help="stop a pending or running task (it ends failed, errorCode cancelled)")
    cancel.add_argument("task_id")
    cancel.add_argument("--json", action="store_true", help="print the task record as JSON")
    share = sub.add_parser("share", help="print a link that shows the task live, no API key needed")
    share.add_argument("task_id")
    share.add_argument("--expires-in", type=int, metavar="SECONDS",
                       help="how long the link works (server default 24 h, at most 7 days)")
    share.add_argument("--json", action="store_true", help="print {url, expiresAt} as JSON")


def follow(client: Client, task_id: str, printer: StepPrinter, timeout: float) -> Task:
    """The task once it is done, each step printed once as it comes: from the event stream, else
    (a server or proxy without it) by polling for the rest of `timeout`."""
    started = time.monotonic()
    shown = 0
    try:
        for event in client.tasks.stream(task_id, timeout=timeout):
            if isinstance(event, StepEvent):
                printer.step(event.step)
                shown = event.step.n
            elif isinstance(event, DoneEvent):
                return event.task
    except FATAL:
        raise
    except StablebrowseError as exc:
        print(f"stablebrowse: event stream unavailable ({exc}); polling", file=sys.stderr)

    def unseen(step: StepSummary) -> None:
        if step.n > shown:
            printer.step(step)

    remaining = max(0.001, timeout - (time.monotonic() - started))
    return client.tasks.wait(task_id, timeout=remaining, on_step=unseen)


def command_cancel(client: Client, args: argparse.Namespace) -> int:
    """A task that had ended is left alone, and the output says so (a cancelled one included)."""
    before = client.tasks.get(args.task_id)
    task = before if before.done else client.tasks.cancel(args.task_id)
    if args.json:
        print(json.dumps(task.to_dict(), indent=2, ensure_ascii=False))
    elif not before.done and task.error_code == "cancelled":
        print(f"{task.task_id}  cancelled")
    else:
        print(f"{task.task_id}  already {task.status}; nothing to cancel")
    return COMPLETED


def command_share(client: Client, args: argparse.Namespace) -> int:
    """The URL alone on stdout (for `$(stablebrowse share ID)`), its expiry on stderr."""
    shared = client.tasks.share(args.task_id, expires_in_seconds=args.expires_in)
    if args.json:
        print(json.dumps(shared.raw, indent=2, ensure_ascii=False))
        return COMPLETED
    print(shared.url)
    if shared.expires_at is not None:
        print(f"expires {shared.expires_at.isoformat()}", file=sys.stderr)
    return COMPLETED


COMMANDS = {"cancel": command_cancel, "share": command_share}
