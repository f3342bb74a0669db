"""End users' credentials, stored sealed: the scheduler owns `credentials` but never holds
the vault key. The gateway seals what a business PUTs, the browser worker opens what a claim
hands it (services/scheduler/records.py), and the admin CLI re-seals at key rotation.

One document per (business, end user, domain); its _id is a hash of the three, so no other
business can read, overwrite or delete it."""
import datetime
import hashlib
from typing import Any

from bson.binary import Binary

from services.common import mongo, vault
from services.common.errors import InvalidArgument, NotFound

MAX_PAGE = 500


def document_id(business_id: str, end_user_id: str, domain: str) -> str:
    return hashlib.sha256(vault.owner(business_id, end_user_id, domain)).hexdigest()


def sealed_fields(sealed: vault.Sealed) -> dict[str, Any]:
    return {"key_id": sealed.key_id, "nonce": Binary(sealed.nonce), "ciphertext": Binary(sealed.ciphertext)}


def sealed_of(doc: dict[str, Any]) -> vault.Sealed:
    return vault.Sealed(doc["key_id"], bytes(doc["nonce"]), bytes(doc["ciphertext"]))


async def put(db: Any, business_id: str, end_user_id: str, domain: str, kind: str,
              sealed: vault.Sealed) -> dict[str, Any]:
    if not (business_id and end_user_id and domain and kind and sealed.key_id):
        raise InvalidArgument("credential: business_id, end_user_id, domain, kind and sealed are required")
    doc = {
        "_id": document_id(business_id, end_user_id, domain),
        "business_id": business_id, "end_user_id": end_user_id, "domain": domain, "kind": kind,
        "updated_at": datetime.datetime.now(datetime.UTC).replace(microsecond=0), **sealed_fields(sealed),
    }
    await mongo.durable(db, mongo.CREDENTIALS).replace_one({"_id": doc["_id"]}, doc, upsert=True)
    return doc


async def summaries(db: Any, business_id: str, end_user_id: str) -> list[dict[str, Any]]:
    cursor = db[mongo.CREDENTIALS].find({"business_id": business_id, "end_user_id": end_user_id},
                                        {"domain": 1, "kind": 1, "updated_at": 1})
    return sorted(await cursor.to_list(None), key=lambda d: d["domain"])


async def delete(db: Any, business_id: str, end_user_id: str, domain: str) -> None:
    result = await mongo.durable(db, mongo.CREDENTIALS).delete_one(
        {"_id": document_id(business_id, end_user_id, domain), "business_id": business_id})
    if result.deleted_count == 0:
        raise NotFound(f"domain: no credential stored for {domain} for this end user")


async def page(db: Any, after_id: str, size: int) -> list[dict[str, Any]]:
    """Every stored credential in _id order, `size` (1-500; 0: 100) after `after_id`."""
    if not 0 <= size <= MAX_PAGE:
        raise InvalidArgument(f"page_size: between 1 and {MAX_PAGE}, not {size}")
    query = {"_id": {"$gt": after_id}} if after_id else {}
    return await db[mongo.CREDENTIALS].find(query).sort("_id", 1).limit(size or 100).to_list(None)


async def reseal(db: Any, doc_id: str, expected_key_id: str, sealed: vault.Sealed) -> bool:
    """Compare-and-set: written only while the entry is still sealed under expected_key_id."""
    result = await mongo.durable(db, mongo.CREDENTIALS).update_one(
        {"_id": doc_id, "key_id": expected_key_id}, {"$set": sealed_fields(sealed)})
    return bool(result.modified_count)
