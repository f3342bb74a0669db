"""WebhookStore: the gateway's (and the admin CLI's) way to the webhook configurations and
deliveries this service owns. Requests name the business the gateway authenticated."""
import logging
from typing import Any

import grpc

from services.common import vault
from services.common.errors import Unavailable
from services.webhooks import config
from stablebrowse.webhooks.v1 import store_pb2, store_pb2_grpc, webhooks_pb2

log = logging.getLogger(__name__)

SERVICE_NAME = "stablebrowse.webhooks.v1.WebhookStore"


class WebhookStoreServicer(store_pb2_grpc.WebhookStoreServicer):
    def __init__(self, db: Any, sealer: vault.Vault | None):
        self.db = db
        self.vault = sealer

    async def PutWebhook(self, request: store_pb2.StorePutWebhookRequest,
                         context: grpc.aio.ServicerContext) -> webhooks_pb2.Webhook:
        if self.vault is None:
            raise Unavailable("webhooks are not available on this server (STABLEBROWSE_SECRET_KEY is not set)")
        doc, secret = await config.put(self.db, self.vault, request.business_id, request.url, list(request.events),
                                       request.rotate_secret)
        log.info("webhook stored", extra={"business_id": request.business_id, "events": list(request.events),
                                          "new_secret": bool(secret)})
        return config.webhook_record(doc, secret)

    async def GetWebhook(self, request: store_pb2.BusinessRequest,
                         context: grpc.aio.ServicerContext) -> webhooks_pb2.Webhook:
        return config.webhook_record(await config.get(self.db, request.business_id))

    async def DeleteWebhook(self, request: store_pb2.BusinessRequest,
                            context: grpc.aio.ServicerContext) -> webhooks_pb2.DeleteWebhookResponse:
        await config.delete(self.db, request.business_id)
        log.info("webhook deleted", extra={"business_id": request.business_id})
        return webhooks_pb2.DeleteWebhookResponse()

    async def ListDeliveries(self, request: store_pb2.StoreListDeliveriesRequest,
                             context: grpc.aio.ServicerContext) -> webhooks_pb2.ListDeliveriesResponse:
        docs = await config.deliveries(self.db, request.business_id, request.limit)
        return webhooks_pb2.ListDeliveriesResponse(deliveries=[config.delivery_record(d) for d in docs])

    async def ListSealedSecrets(self, request: store_pb2.ListSealedSecretsRequest,
                                context: grpc.aio.ServicerContext) -> store_pb2.ListSealedSecretsResponse:
        docs = await config.sealed_page(self.db, request.after_id, request.page_size)
        return store_pb2.ListSealedSecretsResponse(secrets=[store_pb2.SealedSecret(
            business_id=d["_id"], key_id=d["key_id"], nonce=bytes(d["nonce"]), ciphertext=bytes(d["ciphertext"]),
        ) for d in docs])

    async def ResealSecret(self, request: store_pb2.ResealSecretRequest,
                           context: grpc.aio.ServicerContext) -> store_pb2.ResealSecretResponse:
        sealed = vault.Sealed(request.sealed.key_id, request.sealed.nonce, request.sealed.ciphertext)
        done = await config.reseal(self.db, request.sealed.business_id, request.expected_key_id, sealed)
        return store_pb2.ResealSecretResponse(resealed=done)
