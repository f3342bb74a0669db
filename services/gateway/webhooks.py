"""Public WebhookService: the business's webhook configuration and its recent deliveries.

The webhooks service owns both (and makes, seals and signs with the secret): this validates
the request and asks its WebhookStore for the authenticated business only."""
import grpc

from services.gateway.auth import Authenticator
from services.gateway.webhook_rules import validate_limit, validate_put
from stablebrowse.webhooks.v1 import store_pb2, store_pb2_grpc, webhooks_pb2, webhooks_pb2_grpc


class WebhookServicer(webhooks_pb2_grpc.WebhookServiceServicer):
    def __init__(self, auth: Authenticator, store: store_pb2_grpc.WebhookStoreStub, timeout: float):
        self.auth = auth
        self.store = store
        self.timeout = timeout

    async def PutWebhook(self, request: webhooks_pb2.PutWebhookRequest,
                         context: grpc.aio.ServicerContext) -> webhooks_pb2.Webhook:
        business_id = await self.auth.business_of(context.invocation_metadata())
        url, events = validate_put(request)
        return await self.store.PutWebhook(store_pb2.StorePutWebhookRequest(
            business_id=business_id, url=url, events=events, rotate_secret=request.rotate_secret), timeout=self.timeout)

    async def GetWebhook(self, request: webhooks_pb2.GetWebhookRequest,
                         context: grpc.aio.ServicerContext) -> webhooks_pb2.Webhook:
        business_id = await self.auth.business_of(context.invocation_metadata())
        return await self.store.GetWebhook(store_pb2.BusinessRequest(business_id=business_id), timeout=self.timeout)

    async def DeleteWebhook(self, request: webhooks_pb2.DeleteWebhookRequest,
                            context: grpc.aio.ServicerContext) -> webhooks_pb2.DeleteWebhookResponse:
        business_id = await self.auth.business_of(context.invocation_metadata())
        return await self.store.DeleteWebhook(store_pb2.BusinessRequest(business_id=business_id), timeout=self.timeout)

    async def ListDeliveries(self, request: webhooks_pb2.ListDeliveriesRequest,
                             context: grpc.aio.ServicerContext) -> webhooks_pb2.ListDeliveriesResponse:
        business_id = await self.auth.business_of(context.invocation_metadata())
        limit = validate_limit(request.limit)
        return await self.store.ListDeliveries(store_pb2.StoreListDeliveriesRequest(
            business_id=business_id, limit=limit), timeout=self.timeout)
