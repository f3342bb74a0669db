"""Public WebhookService: the business's webhook configuration and its recent deliveries.

One document per business in `webhooks` (_id = business id), so no business can read,
change or delete another's. The secret is sealed with the vault; it is returned only by the
PUT that made it. Deliveries are made by services/webhooks (the deliverer); this only lists them."""
import datetime
import logging

import grpc
import pymongo
from google.protobuf.timestamp_pb2 import Timestamp

from services.common import ids, mongo, vault
from services.common import webhooks as common
from services.common.errors import NotFound, Unavailable
from services.gateway import auth
from services.gateway.webhook_rules import validate_limit, validate_put
from stablebrowse.webhooks.v1 import webhooks_pb2, webhooks_pb2_grpc

log = logging.getLogger(__name__)


def _timestamp(value: datetime.datetime) -> Timestamp:
    ts = Timestamp()
    ts.FromDatetime(value)
    return ts


def webhook_record(doc: dict, secret: str = "") -> webhooks_pb2.Webhook:
    return webhooks_pb2.Webhook(url=doc["url"], events=doc["events"], secret=secret,
                                created_at=_timestamp(doc["created_at"]), updated_at=_timestamp(doc["updated_at"]))


def delivery_record(doc: dict) -> webhooks_pb2.Delivery:
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


class WebhookServicer(webhooks_pb2_grpc.WebhookServiceServicer):
    def __init__(self, db, sealer: vault.Vault | None):
        self.db = db
        self.vault = sealer

    async def PutWebhook(self, request: webhooks_pb2.PutWebhookRequest,
                         context: grpc.aio.ServicerContext) -> webhooks_pb2.Webhook:
        business_id = await auth.authenticate(self.db, context.invocation_metadata())
        url, events = validate_put(request)
        if self.vault is None:
            raise Unavailable("webhooks are not available on this server (STABLEBROWSE_SECRET_KEY is not set)")
        now = ids.now()
        fields = {"url": url, "events": events, "updated_at": now}
        existing = await self.db[common.WEBHOOKS].find_one({"_id": business_id}, {"created_at": 1})
        secret = ""
        if existing is None or request.rotate_secret:
            secret = common.new_secret()
            fields.update(common.seal_secret(self.vault, business_id, secret))
        webhooks = mongo.durable(self.db, common.WEBHOOKS)
        doc = await webhooks.find_one_and_update(
            {"_id": business_id}, {"$set": fields, "$setOnInsert": {"created_at": now}},
            upsert=True, return_document=pymongo.ReturnDocument.AFTER)
        assert doc is not None  # an upsert returning the document after
        log.info("webhook stored", extra={"business_id": business_id, "events": events, "new_secret": bool(secret)})
        return webhook_record(doc, secret)

    async def GetWebhook(self, request: webhooks_pb2.GetWebhookRequest,
                         context: grpc.aio.ServicerContext) -> webhooks_pb2.Webhook:
        business_id = await auth.authenticate(self.db, context.invocation_metadata())
        doc = await self.db[common.WEBHOOKS].find_one({"_id": business_id})
        if doc is None:
            raise NotFound("webhook: none configured for this business")
        return webhook_record(doc)

    async def DeleteWebhook(self, request: webhooks_pb2.DeleteWebhookRequest,
                            context: grpc.aio.ServicerContext) -> webhooks_pb2.DeleteWebhookResponse:
        business_id = await auth.authenticate(self.db, context.invocation_metadata())
        result = await mongo.durable(self.db, common.WEBHOOKS).delete_one({"_id": business_id})
        if result.deleted_count == 0:
            raise NotFound("webhook: none configured for this business")
        log.info("webhook deleted", extra={"business_id": business_id})
        return webhooks_pb2.DeleteWebhookResponse()

    async def ListDeliveries(self, request: webhooks_pb2.ListDeliveriesRequest,
                             context: grpc.aio.ServicerContext) -> webhooks_pb2.ListDeliveriesResponse:
        business_id = await auth.authenticate(self.db, context.invocation_metadata())
        limit = validate_limit(request.limit)
        cursor = self.db[common.DELIVERIES].find({"business_id": business_id}, {"payload": 0})
        docs = await cursor.sort("created_at", pymongo.DESCENDING).limit(limit).to_list(None)
        return webhooks_pb2.ListDeliveriesResponse(deliveries=[delivery_record(d) for d in docs])
