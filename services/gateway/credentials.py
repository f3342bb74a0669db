"""Public CredentialService: end users' logins for sites, sealed here (the gateway holds the
vault key) and stored by the scheduler, which owns `credentials` and never sees a secret.

Secrets live only inside the sealed ciphertext (services/common/vault.py), bound to
(business, end user, domain); what is listed is domain, kind and updatedAt."""
import json
import logging

import grpc
from google.protobuf import json_format

from services.common import vault
from services.common.errors import Unavailable
from services.gateway.auth import Authenticator
from services.gateway.credential_rules import kind, normalize_domain, validate_put
from services.gateway.validation import validate_end_user
from stablebrowse.accounts.v1 import accounts_pb2, accounts_pb2_grpc
from stablebrowse.credentials.v1 import credentials_pb2, credentials_pb2_grpc

log = logging.getLogger(__name__)


def secret_payload(request: credentials_pb2.PutCredentialRequest, domain: str) -> bytes:
    cookies = [json_format.MessageToDict(c, preserving_proto_field_name=True) for c in request.cookies]
    for cookie in cookies:
        cookie.setdefault("domain", "." + domain)
        cookie["domain"] = cookie["domain"].lower()
        cookie.setdefault("path", "/")
    return json.dumps({"cookies": cookies, "username": request.username, "password": request.password}).encode()


def summary(stored: accounts_pb2.CredentialSummary) -> credentials_pb2.Credential:
    return credentials_pb2.Credential(domain=stored.domain, kind=stored.kind, updated_at=stored.updated_at)


class CredentialServicer(credentials_pb2_grpc.CredentialServiceServicer):
    def __init__(self, auth: Authenticator, accounts: accounts_pb2_grpc.AccountServiceStub,
                 sealer: vault.Vault | None, timeout: float):
        self.auth = auth
        self.accounts = accounts
        self.vault = sealer
        self.timeout = timeout

    async def PutCredential(self, request: credentials_pb2.PutCredentialRequest,
                            context: grpc.aio.ServicerContext) -> credentials_pb2.Credential:
        business_id = await self.auth.business_of(context.invocation_metadata())
        domain = validate_put(request)
        if self.vault is None:
            raise Unavailable("credential storage is not configured on this server (STABLEBROWSE_SECRET_KEY)")
        sealed = self.vault.seal(secret_payload(request, domain), vault.owner(business_id, request.end_user_id, domain))
        stored = await self.accounts.PutCredential(accounts_pb2.PutCredentialRequest(
            business_id=business_id, end_user_id=request.end_user_id, domain=domain, kind=kind(request),
            sealed=accounts_pb2.Sealed(key_id=sealed.key_id, nonce=sealed.nonce, ciphertext=sealed.ciphertext),
        ), timeout=self.timeout)
        log.info("credential stored", extra={"business_id": business_id, "domain": domain, "kind": stored.kind})
        return summary(stored)

    async def ListCredentials(self, request: credentials_pb2.ListCredentialsRequest,
                              context: grpc.aio.ServicerContext) -> credentials_pb2.ListCredentialsResponse:
        business_id = await self.auth.business_of(context.invocation_metadata())
        validate_end_user(request.end_user_id, required=True)
        stored = await self.accounts.ListCredentials(accounts_pb2.ListCredentialsRequest(
            business_id=business_id, end_user_id=request.end_user_id), timeout=self.timeout)
        return credentials_pb2.ListCredentialsResponse(credentials=[summary(c) for c in stored.credentials])

    async def DeleteCredential(self, request: credentials_pb2.DeleteCredentialRequest,
                               context: grpc.aio.ServicerContext) -> credentials_pb2.DeleteCredentialResponse:
        business_id = await self.auth.business_of(context.invocation_metadata())
        validate_end_user(request.end_user_id, required=True)
        domain = normalize_domain(request.domain)
        await self.accounts.DeleteCredential(accounts_pb2.DeleteCredentialRequest(
            business_id=business_id, end_user_id=request.end_user_id, domain=domain), timeout=self.timeout)
        log.info("credential deleted", extra={"business_id": business_id, "domain": domain})
        return credentials_pb2.DeleteCredentialResponse()
