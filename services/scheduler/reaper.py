"""The reaper: ends or reruns what would otherwise stay pending or running forever.

One mechanism for every running task: a lease (heartbeat_at, renewed by each event the
projection applies) and a hard deadline (deadline_at, set at claim). Both are judged
only up to the moment the event path is known current (leases.hearing), so an outage of
Kafka, the projection or MongoDB never reads as a silent worker. Each task is handled on
its own: one that fails is logged and retried on the next pass; a task put back to
pending keeps `needs_dispatch` until its dispatch is on Kafka.
"""
import asyncio
import dataclasses
import datetime
import logging
from collections.abc import Awaitable, Callable

from services.common import ids, mongo
from services.scheduler import announce, leases, quotas, tasks
from services.scheduler.reconcile import Reconciler

log = logging.getLogger(__name__)

Dispatch = Callable[[dict], Awaitable[None]]


@dataclasses.dataclass
class Rules:
    silence_seconds: float
    pending_seconds: float
    interval_seconds: float = 5.0
    reconcile_seconds: float = 60.0

    def tick_gap_seconds(self) -> float:
        """Ticks further apart than this on one partition mean the event path was down."""
        return 3 * self.interval_seconds + 2.0


async def _each(cursor, handle) -> int:
    done = 0
    async for task in cursor:
        try:
            done += int(bool(await handle(task)))
        except Exception:
            log.exception("reaping a task failed; retried next pass", extra={"task_id": task["_id"]})
    return done


async def _redispatch(db, task: dict, redispatch: Dispatch) -> None:
    """needs_dispatch is cleared only once the dispatch is on Kafka."""
    await redispatch(task)
    await tasks.dispatched(db, task["_id"])


async def _reclaim(db, task: dict, silent_since, redispatch: Dispatch) -> bool:
    if task.get("attempts", 1) >= tasks.MAX_ATTEMPTS:
        return await tasks.fail(db, task, tasks.RUNNING, "the worker running this task was lost twice", "worker_lost")
    requeued = await tasks.hand_back(db, {"_id": task["_id"], "heartbeat_at": {"$lt": silent_since}}, count_attempt=True)
    if requeued is not None:
        log.warning("silent worker: task requeued", extra={"task_id": task["_id"], "worker_id": task.get("worker_id")})
        await _redispatch(db, requeued, redispatch)
    return requeued is not None


async def reap(db, now: datetime.datetime, rules: Rules, redispatch: Dispatch,
               heard_until: datetime.datetime | None, recovered_at: datetime.datetime | None) -> int:
    """One pass. `heard_until`: every event produced before it has been applied."""
    fields = {"business_id": 1, "session_id": 1, "attempts": 1, "worker_id": 1}
    reaped = 0
    if heard_until is not None:
        judged = min(now, heard_until)
        overdue = db[mongo.TASKS].find({"status": tasks.RUNNING, "deadline_at": {"$lt": judged}}, fields)
        reaped += await _each(overdue, lambda t: tasks.fail(
            db, t, tasks.RUNNING, "task exceeded TASK_TIMEOUT_MS (no outcome from its worker)", "timeout"))
        silent_since = judged - datetime.timedelta(seconds=rules.silence_seconds)
        if recovered_at is None or recovered_at < silent_since:  # else: not heard long enough to judge
            silent = db[mongo.TASKS].find({"status": tasks.RUNNING, "heartbeat_at": {"$lt": silent_since}}, fields)
            reaped += await _each(silent, lambda t: _reclaim(db, t, silent_since, redispatch))
    stale_since = now - datetime.timedelta(seconds=rules.pending_seconds)
    stale = db[mongo.TASKS].find({"status": tasks.PENDING, "created_at": {"$lt": stale_since}}, fields)
    reaped += await _each(stale, lambda t: tasks.fail(
        db, t, tasks.PENDING, "no browser worker picked this task up in time", "timeout"))
    undispatched = db[mongo.TASKS].find({"status": tasks.PENDING, "needs_dispatch": True}, fields)
    await _each(undispatched, lambda t: _redispatch(db, t, redispatch))
    unreleased = db[mongo.TASKS].find(
        {"slot_held": True, "status": {"$in": [tasks.COMPLETED, tasks.FAILED]}}, {"business_id": 1})
    await _each(unreleased, lambda t: quotas.release_task_slot(db, t["_id"], t["business_id"]))
    return reaped


async def _tick(producer, events_topic: str, sender: str, timeout: float) -> int | None:
    """Sends the pass's ticks; the events topic's partition count, None while Kafka is down
    (no tick: silence from then on is not judged until the path is back)."""
    try:
        partitions = len(await asyncio.wait_for(producer.partitions_for(events_topic), timeout))
        await asyncio.wait_for(leases.send_ticks(producer, events_topic, sender), timeout)
        return partitions
    except Exception as exc:
        log.warning("tick not sent", extra={"error": type(exc).__name__})
        return None


async def reap_forever(db, producer, events_topic: str, redispatch: Dispatch, rules: Rules,
                       sender: str = "scheduler") -> None:
    reconciler, reconciled_at, partitions = Reconciler(), None, None
    while True:
        await asyncio.sleep(rules.interval_seconds)
        try:
            partitions = await _tick(producer, events_topic, sender, rules.interval_seconds) or partitions
            heard_until, recovered_at = await leases.hearing(db, partitions) if partitions else (None, None)
            reaped = await reap(db, ids.now(), rules, redispatch, heard_until, recovered_at)
            if reaped:
                log.warning("reaped tasks (rerun or failed)", extra={"count": reaped})
            await announce.announce_marked(db, producer, events_topic)
            now = ids.now()
            if reconciled_at is None or (now - reconciled_at).total_seconds() >= rules.reconcile_seconds:
                await reconciler.run_once(db)
                reconciled_at = now
        except Exception:
            log.exception("reaper pass failed")
