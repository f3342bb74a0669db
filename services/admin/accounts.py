"""Businesses, API keys and quotas: the operator's side of tenancy."""
import dataclasses

from services.common import ids, mongo
from services.scheduler.quotas import DEFAULT_QUOTA, UNLIMITED


@dataclasses.dataclass
class IssuedKey:
    """An API key as shown once at creation; only its hash is stored."""

    business_id: str
    key_id: str
    api_key: str


async def create_business(db, name: str) -> IssuedKey:
    business_id = "biz_" + ids.new_id()
    await mongo.durable(db, mongo.BUSINESSES).insert_one(
        {"_id": business_id, "name": name, "created_at": ids.now(), "quota": dict(DEFAULT_QUOTA)}
    )
    return await create_key(db, business_id)


async def create_key(db, business_id: str) -> IssuedKey:
    if await db[mongo.BUSINESSES].find_one({"_id": business_id}, {"_id": 1}) is None:
        raise LookupError(f"no business {business_id}")
    key = ids.new_api_key()
    key_id = "key_" + ids.new_id()[:16]
    await mongo.durable(db, mongo.API_KEYS).insert_one(
        {
            "_id": key_id,
            "business_id": business_id,
            "key_hash": ids.hash_api_key(key),
            "created_at": ids.now(),
            "revoked_at": None,
        }
    )
    return IssuedKey(business_id=business_id, key_id=key_id, api_key=key)


async def revoke_key(db, key_id: str) -> None:
    result = await mongo.durable(db, mongo.API_KEYS).update_one(
        {"_id": key_id}, {"$set": {"revoked_at": ids.now()}}
    )
    if result.matched_count == 0:
        raise LookupError(f"no key {key_id}")


def quota_value(text: str) -> int | str:
    """A limit as the operator spells it: a whole number of at least 1, or "unlimited"."""
    if text.strip().lower() == UNLIMITED:
        return UNLIMITED
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise ValueError(f"a limit is a whole number of at least 1 or {UNLIMITED!r}, not {text!r}")
    return value


async def set_quota(db, business_id: str, requests_per_minute: int | str | None,
                    max_concurrent: int | str | None) -> dict:
    """Limits are whole numbers of at least 1, or "unlimited"; None leaves one as it is."""
    changes = {}
    for name, value in (("requests_per_minute", requests_per_minute), ("max_concurrent", max_concurrent)):
        if value is not None:
            changes[f"quota.{name}"] = quota_value(str(value))
    if not changes:
        raise ValueError("give --requests-per-minute and/or --max-concurrent")
    result = await mongo.durable(db, mongo.BUSINESSES).update_one({"_id": business_id}, {"$set": changes})
    if result.matched_count == 0:
        raise LookupError(f"no business {business_id}")
    doc = await db[mongo.BUSINESSES].find_one({"_id": business_id})
    return doc.get("quota", {})


async def set_fast_path(db, business_id: str, on: bool) -> None:
    """Indexed answers on (the default) or off: off, every task of the business runs in the browser."""
    result = await mongo.durable(db, mongo.BUSINESSES).update_one({"_id": business_id}, {"$set": {"fast_path": on}})
    if result.matched_count == 0:
        raise LookupError(f"no business {business_id}")


async def set_replay(db, business_id: str, on: bool) -> None:
    """Recipes replayed without the model on (the default) or off for a business's tasks."""
    result = await mongo.durable(db, mongo.BUSINESSES).update_one({"_id": business_id}, {"$set": {"replay": on}})
    if result.matched_count == 0:
        raise LookupError(f"no business {business_id}")


async def key_is_active(db, api_key: str) -> bool:
    doc = await db[mongo.API_KEYS].find_one({"key_hash": ids.hash_api_key(api_key)})
    return doc is not None and doc.get("revoked_at") is None
