"""Per-business limits, enforced atomically in MongoDB so they hold across replicas.

- requests_per_minute: a counter per business and wall-clock minute ($inc, upsert).
- max_concurrent: businesses.active_tasks, incremented on admission (and given back at
  once if that put it over the limit). From its insert on, the task document owns the
  slot (`slot_held`). A task gives it back *before* the update that ends it is made
  (release_slot_of, on the task still in the state it ends from: the flag flips once,
  and only then the counter is decremented), so a task anyone can read as ended no
  longer counts against the limit: a caller who waited for it and submits again is not
  refused. If the end then does not happen (the task moved on meanwhile and is still
  pending or running), hold_slot_again takes the slot back. A release that failed is
  retried by the reaper (ended tasks still holding a slot), and reconcile() repairs any
  drift left (e.g. a crash between the flip and the decrement).

Each limit is stored in businesses.quota as a positive whole number or "unlimited"; one
that is not stored (businesses created before quotas were written at creation) is
DEFAULT_QUOTA's, the same limits `stablebrowse-admin business create` writes.
"""
import datetime
import time
from collections.abc import Callable

from google.protobuf.duration_pb2 import Duration
from google.rpc import error_details_pb2
from pymongo import ReturnDocument

from services.common import metrics, mongo
from services.common.errors import ResourceExhausted
from services.common.quota import DEFAULT_QUOTA, UNLIMITED

RATE_WINDOWS = "rate_windows"
CONCURRENCY_RETRY_SECONDS = 5


def limit_of(quota: dict, name: str) -> int | None:
    """One of a business's limits: the stored value, else the default; None when it is "unlimited"."""
    value = quota.get(name, DEFAULT_QUOTA[name])
    return None if value == UNLIMITED else int(value)


def _refusal(business_id: str, limit: str, value: int, retry_after: int, message: str) -> ResourceExhausted:
    violation = error_details_pb2.QuotaFailure.Violation(
        subject=f"business:{business_id}", description=f"{limit}={value}"
    )
    metrics.QUOTA_REJECTIONS.labels(quota=limit).inc()
    return ResourceExhausted(
        message,
        details=(
            error_details_pb2.QuotaFailure(violations=[violation]),
            error_details_pb2.RetryInfo(retry_delay=Duration(seconds=retry_after)),
        ),
        headers=(("retry-after", str(retry_after)),),
    )


async def check_rate(db, business_id: str, per_minute: int, now: float) -> None:
    """Counts this submission in the window of `now` (seconds since the epoch); refuses it if over."""
    window = int(now // 60)
    doc = await db[RATE_WINDOWS].find_one_and_update(
        {"_id": f"{business_id}:{window}"},
        {"$inc": {"count": 1}, "$setOnInsert": {"expires_at": datetime.datetime.fromtimestamp((window + 2) * 60, datetime.UTC)}},
        upsert=True,
        return_document=ReturnDocument.AFTER,
    )
    if doc["count"] > per_minute:
        retry_after = max(1, int((window + 1) * 60 - now + 0.999))
        raise _refusal(business_id, "requests_per_minute", per_minute, retry_after,
                       f"rate limit exceeded: at most {per_minute} task submissions per minute")


async def release_slot(db, business_id: str) -> None:
    await mongo.durable(db, mongo.BUSINESSES).update_one({"_id": business_id}, {"$inc": {"active_tasks": -1}})


async def release_slot_of(db, query: dict, business_id: str) -> bool:
    """Gives back the slot of the task `query` matches, once (idempotent per task): flips its
    `slot_held`, then decrements. A failed decrement restores the flag and raises."""
    tasks = mongo.durable(db, mongo.TASKS)
    flipped = await tasks.update_one({**query, "slot_held": True}, {"$set": {"slot_held": False}})
    if not flipped.modified_count:
        return False
    try:
        await release_slot(db, business_id)
    except BaseException:
        await tasks.update_one({"_id": query["_id"]}, {"$set": {"slot_held": True}})  # the reaper retries it
        raise
    return True


async def release_task_slot(db, task_id: str, business_id: str) -> bool:
    """Gives back an ended task's slot exactly once (idempotent per task)."""
    return await release_slot_of(db, {"_id": task_id, "status": {"$in": ["completed", "failed"]}}, business_id)


async def hold_slot_again(db, task_id: str, business_id: str) -> bool:
    """A task that gave its slot back to end, but was not ended (it was requeued meanwhile),
    holds one again if it is still pending or running: the flag flips once, then the counter
    is incremented (whatever the limit: the task was admitted)."""
    flipped = await mongo.durable(db, mongo.TASKS).update_one(
        {"_id": task_id, "slot_held": False, "status": {"$in": ["pending", "running"]}}, {"$set": {"slot_held": True}})
    if flipped.modified_count:
        # If this increment is lost, the counter is short of the tasks holding a slot: reconcile() repairs it.
        await mongo.durable(db, mongo.BUSINESSES).update_one({"_id": business_id}, {"$inc": {"active_tasks": 1}})
    return bool(flipped.modified_count)


async def admit(db, business_id: str, clock: Callable[[], float] = time.time) -> dict:
    """Raises ResourceExhausted (429) if this submission is over a limit; else holds a slot
    and returns the business's settings (quota, active_tasks, fast_path). `clock` tells the
    time (seconds since the epoch) that picks the rate window.

    One atomic increment both takes the slot and reads the limits; a submission that
    finds itself over max_concurrent gives the slot straight back.
    """
    # No projection: FerretDB does not implement one in findAndModify (the document is small).
    business = await mongo.durable(db, mongo.BUSINESSES).find_one_and_update(
        {"_id": business_id}, {"$inc": {"active_tasks": 1}}, return_document=ReturnDocument.AFTER,
    )
    quota = (business or {}).get("quota") or {}
    try:
        max_concurrent = limit_of(quota, "max_concurrent")
        if max_concurrent is not None and (business or {}).get("active_tasks", 0) > max_concurrent:
            raise _refusal(business_id, "max_concurrent", max_concurrent, CONCURRENCY_RETRY_SECONDS,
                           f"concurrency limit reached: at most {max_concurrent} tasks pending or running at once")
        per_minute = limit_of(quota, "requests_per_minute")
        if per_minute is not None:
            await check_rate(db, business_id, per_minute, clock())
    except BaseException:
        await release_slot(db, business_id)
        raise
    return business or {}
