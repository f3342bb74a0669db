"""Businesses and API keys: the scheduler owns both collections (the admin CLI and the
gateway reach them through AccountService, services/scheduler/accounts.py)."""
import dataclasses
from typing import Any

from services.common import ids, mongo
from services.common.errors import InvalidArgument, NotFound
from services.common.quota import DEFAULT_QUOTA, LIMITS, UNLIMITED
from stablebrowse.accounts.v1 import accounts_pb2


@dataclasses.dataclass(frozen=True)
class IssuedKey:
    """An API key as shown once at creation; only its hash is stored."""

    business_id: str
    key_id: str
    api_key: str


@dataclasses.dataclass(frozen=True)
class KeyState:
    business_id: str
    revoked: bool


async def find_key(db: Any, key_hash: str) -> KeyState | None:
    doc = await db[mongo.API_KEYS].find_one({"key_hash": key_hash}, {"business_id": 1, "revoked_at": 1})
    if doc is None:
        return None
    return KeyState(business_id=doc["business_id"], revoked=doc.get("revoked_at") is not None)


async def create_business(db: Any, name: str) -> IssuedKey:
    business_id = "biz_" + ids.new_id()
    await mongo.durable(db, mongo.BUSINESSES).insert_one(
        {"_id": business_id, "name": name, "created_at": ids.now(), "quota": dict(DEFAULT_QUOTA)}
    )
    return await create_key(db, business_id)


async def create_key(db: Any, business_id: str) -> IssuedKey:
    if await db[mongo.BUSINESSES].find_one({"_id": business_id}, {"_id": 1}) is None:
        raise NotFound(f"no business {business_id}")
    key = ids.new_api_key()
    key_id = "key_" + ids.new_id()[:16]
    await mongo.durable(db, mongo.API_KEYS).insert_one({
        "_id": key_id, "business_id": business_id, "key_hash": ids.hash_api_key(key),
        "created_at": ids.now(), "revoked_at": None,
    })
    return IssuedKey(business_id=business_id, key_id=key_id, api_key=key)


async def revoke_key(db: Any, key_id: str) -> None:
    result = await mongo.durable(db, mongo.API_KEYS).update_one({"_id": key_id}, {"$set": {"revoked_at": ids.now()}})
    if result.matched_count == 0:
        raise NotFound(f"no key {key_id}")


def checked_limit(name: str, value: int | str) -> int | str:
    if value == UNLIMITED or (isinstance(value, int) and value >= 1):
        return value
    raise InvalidArgument(f"{name}: a whole number of at least 1 or {UNLIMITED!r}, not {value!r}")


async def set_quota(db: Any, business_id: str, limits: dict[str, int | str]) -> dict[str, Any]:
    """Sets the given limits (names from LIMITS); returns the business's stored quota."""
    changes = {f"quota.{name}": checked_limit(name, value) for name, value in limits.items() if name in LIMITS}
    if not changes:
        raise InvalidArgument("quota: give requests_per_minute and/or max_concurrent")
    result = await mongo.durable(db, mongo.BUSINESSES).update_one({"_id": business_id}, {"$set": changes})
    if result.matched_count == 0:
        raise NotFound(f"no business {business_id}")
    doc = await db[mongo.BUSINESSES].find_one({"_id": business_id}, {"quota": 1})
    return dict((doc or {}).get("quota", {}))


# Business-wide switches, on unless stored off: indexed answers (off: every task runs in the
# browser) and recipe replay (off: the agent runs every task).
SWITCHES = {accounts_pb2.SWITCH_FAST_PATH: "fast_path", accounts_pb2.SWITCH_REPLAY: "replay"}


async def set_switch(db: Any, business_id: str, field: str, on: bool) -> None:
    result = await mongo.durable(db, mongo.BUSINESSES).update_one({"_id": business_id}, {"$set": {field: on}})
    if result.matched_count == 0:
        raise NotFound(f"no business {business_id}")
