"""bench/chaos.py's bookkeeping: what each submission saw, and the per-fault counts.

- accepted: a submission answered 200/201 (a keyed one after any number of retries)
- completed / failed (by errorCode): its task's status when it ended
- lost: accepted, then its record was gone (GET answered 404)
- stuck: accepted, still pending or running 2 × TASK_TIMEOUT after acceptance
  (the issue's "accepted but never terminal within 2 × TASK_TIMEOUT" is lost + stuck)
- duplicated: a task whose runs overlapped (a second "task started" in the browser log
  before the first run's "task finished", in one worker process), or two tasks for one
  Idempotency-Key (in the database, or two task ids answered to one key)
- 5xx: answers 500-599 other than 503 (submissions and polls)
- cost: seconds from the fault until submissions succeed again (the first acceptance after
  the last submission that failed with a 5xx or a connection error); 0 if none failed
"""
import collections
import dataclasses
import json
import pathlib

TERMINAL = ("completed", "failed")


@dataclasses.dataclass
class Submission:
    kind: str
    api_key: str
    business_id: str
    key: str | None
    attempts: list = dataclasses.field(default_factory=list)  # (monotonic time, status code or error name)
    task_ids: list = dataclasses.field(default_factory=list)  # every distinct id answered
    accepted_at: float | None = None
    record: dict | None = None  # the last GET
    gone: bool = False

    def answered(self, at: float, status, task_id: str | None) -> None:
        self.attempts.append((at, status))
        if task_id is not None:
            if task_id not in self.task_ids:
                self.task_ids.append(task_id)
            self.accepted_at = self.accepted_at or at

    @property
    def done(self) -> bool:
        return self.gone or (self.record is not None and self.record.get("status") in TERMINAL)


@dataclasses.dataclass
class Phase:
    name: str
    subs: list = dataclasses.field(default_factory=list)
    fault_at: float = 0.0
    server_errors: int = 0  # 5xx other than 503 seen by polls
    overlapping_runs: set = dataclasses.field(default_factory=set)
    keys_with_two_tasks: int = 0
    note: str = ""


def unavailable(status) -> bool:
    return isinstance(status, str) or status >= 500


def cost_seconds(phase: Phase) -> float | None:
    attempts = sorted(a for s in phase.subs for a in s.attempts if a[0] >= phase.fault_at)
    failures = [t for t, status in attempts if unavailable(status)]
    if not failures:
        return 0.0
    after = [t for t, status in attempts if status in (200, 201) and t > failures[-1]]
    return after[0] - phase.fault_at if after else None


def overlapping_runs(log_lines: list[str]) -> set[str]:
    """Task ids started again while a run of theirs was still going in the same worker process
    (a worker process begins with "chromium started"; a killed one never says "task finished")."""
    running: set[str] = set()
    twice: set[str] = set()
    for line in log_lines:
        if not line.startswith("{"):
            continue
        entry = json.loads(line)
        task_id = entry.get("task_id")
        if entry.get("msg") == "chromium started":
            running.clear()
        elif entry.get("msg") == "task started":
            if task_id in running:
                twice.add(task_id)
            running.add(task_id)
        elif entry.get("msg") == "task finished":
            running.discard(task_id)
    return twice


def read_new_lines(path: pathlib.Path, offset: int) -> tuple[list[str], int]:
    try:
        with open(path, "rb") as f:
            f.seek(offset)
            chunk = f.read()
    except OSError:
        return [], offset
    return chunk.decode(errors="replace").splitlines(), offset + len(chunk)


def row(phase: Phase) -> dict:
    accepted = [s for s in phase.subs if s.accepted_at is not None]
    failed = collections.Counter(s.record.get("errorCode", "?") for s in accepted
                                 if not s.gone and s.record and s.record["status"] == "failed")
    ids = {tid for s in accepted for tid in s.task_ids}
    poll_and_submit_5xx = phase.server_errors + sum(
        1 for s in phase.subs for _, status in s.attempts if isinstance(status, int) and status >= 500 and status != 503)
    cost = cost_seconds(phase)
    twice_answered = [s.task_ids for s in accepted if len(s.task_ids) > 1]
    detail = (f"overlapping runs {sorted(phase.overlapping_runs & ids)}, keys with two tasks "
              f"{phase.keys_with_two_tasks}, two ids for one key {twice_answered}")
    return {
        "fault": phase.name,
        "submitted": len(phase.subs),
        "accepted": len(accepted),
        "completed": sum(1 for s in accepted if not s.gone and s.record and s.record["status"] == "completed"),
        "failed": ", ".join(f"{code} {n}" for code, n in sorted(failed.items())) or "-",
        "lost": sum(1 for s in accepted if s.gone),
        "stuck": sum(1 for s in accepted if not s.done),
        "duplicated": len(phase.overlapping_runs & ids) + phase.keys_with_two_tasks
        + sum(1 for s in accepted if len(s.task_ids) > 1),
        "5xx": poll_and_submit_5xx,
        "cost_s": "never" if cost is None else f"{cost:.1f}",
        "note": phase.note,
        "detail": detail,
    }


COLUMNS = ("fault", "submitted", "accepted", "completed", "failed", "lost", "stuck", "duplicated", "5xx", "cost_s")


def table(rows: list[dict]) -> str:
    widths = {c: max(len(c), *(len(str(r[c])) for r in rows)) for c in COLUMNS}
    lines = ["  ".join(c.ljust(widths[c]) for c in COLUMNS)]
    for r in rows:
        line = "  ".join(str(r[c]).ljust(widths[c]) for c in COLUMNS)
        lines.append(line + (f"   ({r['note']})" if r["note"] else ""))
    return "\n".join(lines)
