"""Step screenshots: the scheduler owns the `screenshots` collection.

One document per (task, step): {_id: "<task id>:<step>", business_id, task_id, step, jpeg,
created_at}. The JPEG arrives on the step's event (TaskEvent.screenshot_jpeg) and is stored
before the step is pushed to the task document, so a record whose step says hasScreenshot
always finds it. Retention is a periodic delete of documents older than
STABLEBROWSE_SCREENSHOT_RETENTION_HOURS (no TTL index: FerretDB refuses them)."""
import asyncio
import datetime
import logging
from collections.abc import Callable

import pymongo
from bson.binary import Binary

from services.common import ids, mongo
from stablebrowse.events.v1 import events_pb2

log = logging.getLogger(__name__)

SCREENSHOTS = "screenshots"
EXPIRY_INTERVAL_S = 600.0

Clock = Callable[[], datetime.datetime]


def _key(task_id: str, step: int) -> str:
    return f"{task_id}:{step}"


async def ensure_indexes(db) -> None:
    await db[SCREENSHOTS].create_index([("created_at", pymongo.ASCENDING)])


async def keep(db, event: events_pb2.TaskEvent, applies: dict) -> None:
    """Stores a step event's JPEG when the step will be applied (`applies`: the filter of its
    update, which names the task's running owner and a step not pushed yet). A rerun of the
    task replaces the screenshots of its earlier attempt step by step."""
    if event.WhichOneof("kind") != "step" or not event.screenshot_jpeg:
        return
    owner = await db[mongo.TASKS].find_one(applies, {"business_id": 1})
    if owner is None:
        return
    doc = {"business_id": owner["business_id"], "task_id": event.task_id, "step": event.step.n,
           "jpeg": Binary(event.screenshot_jpeg), "created_at": ids.now()}
    await db[SCREENSHOTS].replace_one({"_id": _key(event.task_id, event.step.n)}, doc, upsert=True)


async def fetch(db, business_id: str, task_id: str, step: int) -> bytes | None:
    """The JPEG of one step of the business's task; None when there is none (or the task is another business's)."""
    doc = await db[SCREENSHOTS].find_one({"_id": _key(task_id, step), "business_id": business_id}, {"jpeg": 1})
    return bytes(doc["jpeg"]) if doc is not None else None


async def expire(db, retention: datetime.timedelta, now: Clock = ids.now) -> int:
    """Deletes screenshots older than `retention`; returns how many."""
    result = await db[SCREENSHOTS].delete_many({"created_at": {"$lt": now() - retention}})
    return result.deleted_count


async def expire_forever(db, retention: datetime.timedelta, interval_s: float = EXPIRY_INTERVAL_S) -> None:
    while True:
        try:
            deleted = await expire(db, retention)
            if deleted:
                log.info("screenshots expired", extra={"deleted": deleted})
        except pymongo.errors.PyMongoError as exc:
            log.warning("screenshot expiry failed; retried next pass", extra={"error": type(exc).__name__})
        await asyncio.sleep(interval_s)
