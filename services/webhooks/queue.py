"""The durable delivery queue: one document per task outcome in `webhook_deliveries`.

_id is the webhook-id (one per task, so a replayed Kafka event adds nothing). A sender
claims a due delivery by pushing its next_at one lease ahead, so another replica (or this
one after a crash) only takes it again once the lease has passed; the result is written
only if nobody recorded an attempt in between."""
import datetime
import json

import pymongo
from pymongo.errors import DuplicateKeyError

from services.common import mongo
from services.common.webhooks import DELIVERIES, delivery_id
from services.webhooks.sender import Attempt

LEASE = datetime.timedelta(seconds=60)


async def ensure_indexes(db) -> None:
    await db[DELIVERIES].create_index([("status", pymongo.ASCENDING), ("next_at", pymongo.ASCENDING)])
    await db[DELIVERIES].create_index([("business_id", pymongo.ASCENDING), ("created_at", pymongo.DESCENDING)])


def payload(event_type: str, record: dict, at: datetime.datetime) -> str:
    """The body: {type, timestamp, data: the task record}, fixed once so every attempt sends the same bytes."""
    timestamp = at.astimezone(datetime.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return json.dumps({"type": event_type, "timestamp": timestamp, "data": record}, separators=(",", ":"))


async def enqueue(db, business_id: str, task_id: str, event_type: str, body: str, now: datetime.datetime) -> bool:
    """False when this task's delivery already exists."""
    doc = {"_id": delivery_id(task_id), "business_id": business_id, "task_id": task_id, "type": event_type,
           "payload": body, "status": "pending", "attempts": 0, "history": [], "next_at": now,
           "created_at": now, "updated_at": now}
    try:
        await mongo.durable(db, DELIVERIES).insert_one(doc)
    except DuplicateKeyError:
        return False
    return True


async def claim_due(db, now: datetime.datetime, limit: int) -> list[dict]:
    claimed = []
    for _ in range(limit):
        doc = await mongo.durable(db, DELIVERIES).find_one_and_update(
            {"status": "pending", "next_at": {"$lte": now}}, {"$set": {"next_at": now + LEASE}},
            sort=[("next_at", pymongo.ASCENDING)], return_document=pymongo.ReturnDocument.AFTER)
        if doc is None:
            break
        claimed.append(doc)
    return claimed


def outcome(attempts_made: int, attempt: Attempt, delays: list[float], now: datetime.datetime) -> dict:
    """The fields after an attempt: delivered on a 2xx, failed when attempts are used up,
    else pending until the next delay has passed."""
    if attempt.ok:
        return {"status": "delivered"}
    if attempts_made > len(delays):
        return {"status": "failed"}
    return {"status": "pending", "next_at": now + datetime.timedelta(seconds=delays[attempts_made - 1])}


async def record(db, doc: dict, attempt: Attempt, delays: list[float], now: datetime.datetime) -> dict:
    """Stores the attempt; returns the fields set."""
    fields = {**outcome(doc["attempts"] + 1, attempt, delays, now), "updated_at": now}
    entry = {"at": now, "status_code": attempt.status_code, "error": attempt.error, "duration_ms": attempt.duration_ms}
    await mongo.durable(db, DELIVERIES).update_one(
        {"_id": doc["_id"], "attempts": doc["attempts"]},
        {"$set": fields, "$inc": {"attempts": 1}, "$push": {"history": entry}})
    return fields


async def cancel(db, doc: dict, now: datetime.datetime) -> None:
    await mongo.durable(db, DELIVERIES).update_one(
        {"_id": doc["_id"], "attempts": doc["attempts"]}, {"$set": {"status": "canceled", "updated_at": now}})
