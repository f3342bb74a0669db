"""MongoDB access through PyMongo's asyncio client; any MongoDB-protocol server reachable at
MONGODB_URI (MongoDB, FerretDB, the embedded mongo-java-server)."""
from typing import Any

from pymongo import AsyncMongoClient, WriteConcern
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import PyMongoError

from services.common import errors
from services.common.settings import MongoSettings

# A service that holds a database client answers its driver's errors as UNAVAILABLE.
errors.treat_as_unavailable(PyMongoError, "database unavailable, nothing was changed; retry later")

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

