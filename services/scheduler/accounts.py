"""AccountService: tenancy (businesses, API keys, quotas, the fast-path switch) and the
sealed credentials, for the gateway and the admin CLI (internal gRPC, internal token)."""
from typing import Any

import grpc

from services.common import vault
from services.common.errors import InvalidArgument
from services.common.quota import LIMITS, limit_message, limit_value
from services.common.records import timestamp
from services.scheduler import credentials, tenancy
from stablebrowse.accounts.v1 import accounts_pb2, accounts_pb2_grpc


def _sealed(message: accounts_pb2.Sealed) -> vault.Sealed:
    return vault.Sealed(message.key_id, message.nonce, message.ciphertext)


def _summary(doc: dict[str, Any]) -> accounts_pb2.CredentialSummary:
    return accounts_pb2.CredentialSummary(domain=doc["domain"], kind=doc["kind"], updated_at=timestamp(doc["updated_at"]))


def _issued(issued: tenancy.IssuedKey) -> accounts_pb2.IssuedKey:
    return accounts_pb2.IssuedKey(business_id=issued.business_id, key_id=issued.key_id, api_key=issued.api_key)


class AccountServicer(accounts_pb2_grpc.AccountServiceServicer):
    def __init__(self, db: Any):
        self.db = db

    async def Authenticate(self, request: accounts_pb2.AuthenticateRequest,
                           context: grpc.aio.ServicerContext) -> accounts_pb2.AuthenticateResponse:
        key = await tenancy.find_key(self.db, request.key_hash)
        if key is None:
            return accounts_pb2.AuthenticateResponse(found=False)
        return accounts_pb2.AuthenticateResponse(found=True, business_id=key.business_id, revoked=key.revoked)

    async def CreateBusiness(self, request: accounts_pb2.CreateBusinessRequest,
                             context: grpc.aio.ServicerContext) -> accounts_pb2.IssuedKey:
        return _issued(await tenancy.create_business(self.db, request.name))

    async def CreateKey(self, request: accounts_pb2.CreateKeyRequest,
                        context: grpc.aio.ServicerContext) -> accounts_pb2.IssuedKey:
        return _issued(await tenancy.create_key(self.db, request.business_id))

    async def RevokeKey(self, request: accounts_pb2.RevokeKeyRequest,
                        context: grpc.aio.ServicerContext) -> accounts_pb2.RevokeKeyResponse:
        await tenancy.revoke_key(self.db, request.key_id)
        return accounts_pb2.RevokeKeyResponse()

    async def SetQuota(self, request: accounts_pb2.SetQuotaRequest,
                       context: grpc.aio.ServicerContext) -> accounts_pb2.Quota:
        limits = {name: limit_value(getattr(request, name)) for name in LIMITS if request.HasField(name)}
        stored = await tenancy.set_quota(self.db, request.business_id, limits)
        return accounts_pb2.Quota(**{name: limit_message(value) for name, value in stored.items() if name in LIMITS})

    async def SetSwitch(self, request: accounts_pb2.SetSwitchRequest,
                        context: grpc.aio.ServicerContext) -> accounts_pb2.SetSwitchResponse:
        field = tenancy.SWITCHES.get(request.switch)
        if field is None:
            raise InvalidArgument("switch: must be SWITCH_FAST_PATH or SWITCH_REPLAY")
        await tenancy.set_switch(self.db, request.business_id, field, request.on)
        return accounts_pb2.SetSwitchResponse()

    async def PutCredential(self, request: accounts_pb2.PutCredentialRequest,
                            context: grpc.aio.ServicerContext) -> accounts_pb2.CredentialSummary:
        doc = await credentials.put(self.db, request.business_id, request.end_user_id, request.domain, request.kind,
                                    _sealed(request.sealed))
        return _summary(doc)

    async def ListCredentials(self, request: accounts_pb2.ListCredentialsRequest,
                              context: grpc.aio.ServicerContext) -> accounts_pb2.ListCredentialsResponse:
        docs = await credentials.summaries(self.db, request.business_id, request.end_user_id)
        return accounts_pb2.ListCredentialsResponse(credentials=[_summary(d) for d in docs])

    async def DeleteCredential(self, request: accounts_pb2.DeleteCredentialRequest,
                               context: grpc.aio.ServicerContext) -> accounts_pb2.DeleteCredentialResponse:
        await credentials.delete(self.db, request.business_id, request.end_user_id, request.domain)
        return accounts_pb2.DeleteCredentialResponse()

    async def ListSealedCredentials(self, request: accounts_pb2.ListSealedCredentialsRequest,
                                    context: grpc.aio.ServicerContext) -> accounts_pb2.ListSealedCredentialsResponse:
        docs = await credentials.page(self.db, request.after_id, request.page_size)
        return accounts_pb2.ListSealedCredentialsResponse(credentials=[accounts_pb2.SealedCredential(
            id=d["_id"], business_id=d["business_id"], end_user_id=d["end_user_id"], domain=d["domain"],
            sealed=accounts_pb2.Sealed(key_id=d["key_id"], nonce=bytes(d["nonce"]), ciphertext=bytes(d["ciphertext"])),
        ) for d in docs])

    async def ResealCredential(self, request: accounts_pb2.ResealCredentialRequest,
                               context: grpc.aio.ServicerContext) -> accounts_pb2.ResealCredentialResponse:
        done = await credentials.reseal(self.db, request.id, request.expected_key_id, _sealed(request.sealed))
        return accounts_pb2.ResealCredentialResponse(resealed=done)
