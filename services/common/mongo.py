"""MongoDB access through PyMongo's asyncio client; any MongoDB-protocol server reachable at
MONGODB_URI (MongoDB, FerretDB, the embedded mongo-java-server)."""
from typing import Any

import pymongo
from pymongo import AsyncMongoClient, WriteConcern
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from services.common.settings import MongoSettings

# Collection names: the document model is described in docs/architecture.md.
BUSINESSES = "businesses"
API_KEYS = "api_keys"
SESSIONS = "sessions"
TASKS = "tasks"
CREDENTIALS = "credentials"
INDEXED_PAGES = "indexed_pages"  # the indexer's copies of popular pages, _id = URL

DURABLE = WriteConcern(w="majority")


def connect(settings: MongoSettings) -> AsyncDatabase[dict[str, Any]]:
    """The database handle; close it with `await db.client.close()`."""
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
        settings.mongodb_uri, serverSelectionTimeoutMS=5000, connectTimeoutMS=5000, tz_aware=True
    )
    return client[settings.mongodb_database]


def durable(db: AsyncDatabase[dict[str, Any]], name: str) -> AsyncCollection[dict[str, Any]]:
    """A collection handle whose writes must not be lost."""
    return db.get_collection(name, write_concern=DURABLE)


async def ensure_indexes(db: AsyncDatabase[dict[str, Any]]) -> None:
    """Idempotent: creates the indexes every service relies on."""
    await db[API_KEYS].create_index("key_hash", unique=True)
    await db[API_KEYS].create_index("business_id")
    await db[SESSIONS].create_index([("business_id", pymongo.ASCENDING), ("end_user_id", pymongo.ASCENDING)])
    await db[TASKS].create_index([("business_id", pymongo.ASCENDING), ("session_id", pymongo.ASCENDING), ("created_at", pymongo.DESCENDING)])
    await db[TASKS].create_index([("status", pymongo.ASCENDING), ("updated_at", pymongo.ASCENDING)])
    # Tasks holding a concurrency slot: the reaper's release sweep and the reconciler's counts.
    await db[TASKS].create_index([("slot_held", pymongo.ASCENDING), ("business_id", pymongo.ASCENDING)])
    await db[CREDENTIALS].create_index([("business_id", pymongo.ASCENDING), ("end_user_id", pymongo.ASCENDING)])
