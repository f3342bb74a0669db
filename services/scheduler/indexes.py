"""The indexes of every collection the scheduler owns, created at its start-up only
(idempotent); idempotency_keys', screenshots' and recipes' are made by their own modules, called from here."""
from typing import Any

from pymongo import ASCENDING, DESCENDING

from services.common import mongo
from services.scheduler import idempotency, recipes, screenshots


async def ensure_indexes(db: Any) -> None:
    await db[mongo.API_KEYS].create_index("key_hash", unique=True)
    await db[mongo.API_KEYS].create_index("business_id")
    await db[mongo.SESSIONS].create_index([("business_id", ASCENDING), ("end_user_id", ASCENDING)])
    await db[mongo.TASKS].create_index([("business_id", ASCENDING), ("session_id", ASCENDING), ("created_at", DESCENDING)])
    await db[mongo.TASKS].create_index([("status", ASCENDING), ("updated_at", ASCENDING)])
    # Tasks holding a concurrency slot: the reaper's release sweep and the reconciler's counts.
    await db[mongo.TASKS].create_index([("slot_held", ASCENDING), ("business_id", ASCENDING)])
    await db[mongo.CREDENTIALS].create_index([("business_id", ASCENDING), ("end_user_id", ASCENDING)])
    await idempotency.ensure_indexes(db)
    await screenshots.ensure_indexes(db)
    await recipes.ensure_indexes(db)
