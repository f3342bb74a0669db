"""Webhook configurations (`webhooks`, _id = business id: no business reaches another's) and the
deliveries list, as the public WebhookService shows them. The webhooks service owns both
collections; the gateway reaches them through WebhookStore (services/webhooks/store.py)."""
import datetime
from typing import Any

import pymongo
from google.protobuf.timestamp_pb2 import Timestamp

from services.common import ids, mongo, vault
from services.common import webhooks as common
from services.common.errors import InvalidArgument, NotFound
from stablebrowse.webhooks.v1 import webhooks_pb2

MAX_PAGE = 500


def _timestamp(value: datetime.datetime) -> Timestamp:
    ts = Timestamp()
    ts.FromDatetime(value)
    return ts


def webhook_record(doc: dict[str, Any], secret: str = "") -> webhooks_pb2.Webhook:
    return webhooks_pb2.Webhook(url=doc["url"], events=doc["events"], secret=secret,
                                created_at=_timestamp(doc["created_at"]), updated_at=_timestamp(doc["updated_at"]))


def delivery_record(doc: dict[str, Any]) -> webhooks_pb2.Delivery:
    delivery = webhooks_pb2.Delivery(id=doc["_id"], type=doc["type"], task_id=doc["task_id"], status=doc["status"],
                                     created_at=_timestamp(doc["created_at"]))
    for attempt in doc.get("history", []):
        record = delivery.attempts.add(at=_timestamp(attempt["at"]), error=attempt.get("error", ""),
                                       duration_ms=attempt.get("duration_ms", 0))
        if attempt.get("status_code") is not None:
            record.status_code = attempt["status_code"]
    if doc["status"] == "pending":
        delivery.next_attempt_at.CopyFrom(_timestamp(doc["next_at"]))
    return delivery


async def put(db: Any, sealer: vault.Vault, business_id: str, url: str, events: list[str],
              rotate_secret: bool) -> tuple[dict[str, Any], str]:
    """The stored webhook, and its new secret ("" when the stored one was kept)."""
    now = ids.now()
    fields: dict[str, Any] = {"url": url, "events": events, "updated_at": now}
    existing = await db[common.WEBHOOKS].find_one({"_id": business_id}, {"created_at": 1})
    secret = ""
    if existing is None or rotate_secret:
        secret = common.new_secret()
        fields.update(common.seal_secret(sealer, business_id, secret))
    doc = await mongo.durable(db, common.WEBHOOKS).find_one_and_update(
        {"_id": business_id}, {"$set": fields, "$setOnInsert": {"created_at": now}},
        upsert=True, return_document=pymongo.ReturnDocument.AFTER)
    assert doc is not None  # an upsert returning the document after
    return doc, secret


async def get(db: Any, business_id: str) -> dict[str, Any]:
    doc = await db[common.WEBHOOKS].find_one({"_id": business_id})
    if doc is None:
        raise NotFound("webhook: none configured for this business")
    return dict(doc)


async def delete(db: Any, business_id: str) -> None:
    result = await mongo.durable(db, common.WEBHOOKS).delete_one({"_id": business_id})
    if result.deleted_count == 0:
        raise NotFound("webhook: none configured for this business")


async def deliveries(db: Any, business_id: str, limit: int) -> list[dict[str, Any]]:
    cursor = db[common.DELIVERIES].find({"business_id": business_id}, {"payload": 0})
    return list(await cursor.sort("created_at", pymongo.DESCENDING).limit(limit).to_list(None))


async def sealed_page(db: Any, after_id: str, size: int) -> list[dict[str, Any]]:
    """Every webhook's sealed secret in _id order, `size` (1-500; 0: 100) after `after_id`."""
    if not 0 <= size <= MAX_PAGE:
        raise InvalidArgument(f"page_size: between 1 and {MAX_PAGE}, not {size}")
    query = {"_id": {"$gt": after_id}} if after_id else {}
    fields = {"key_id": 1, "nonce": 1, "ciphertext": 1}
    return list(await db[common.WEBHOOKS].find(query, fields).sort("_id", 1).limit(size or 100).to_list(None))


async def reseal(db: Any, business_id: str, expected_key_id: str, sealed: vault.Sealed) -> bool:
    """Compare-and-set: written only while the secret is still sealed under expected_key_id."""
    result = await mongo.durable(db, common.WEBHOOKS).update_one(
        {"_id": business_id, "key_id": expected_key_id},
        {"$set": {"key_id": sealed.key_id, "nonce": sealed.nonce, "ciphertext": sealed.ciphertext}})
    return bool(result.modified_count)
