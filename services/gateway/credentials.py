"""Public CredentialService: end users' logins for sites, sealed before they are stored.

One document per (business, end user, domain) in `credentials`; its _id is a hash of the
three, so no other business can read, overwrite or delete it. Secrets live only inside
`ciphertext` (services/common/vault.py); what is listed is domain, kind and updatedAt."""
import datetime
import hashlib
import json
import logging

import grpc
from bson.binary import Binary
from google.protobuf import json_format

from services.common import mongo, vault
from services.common.errors import NotFound, Unavailable
from services.gateway import auth
from services.gateway.credential_rules import kind, normalize_domain, validate_put
from services.gateway.validation import validate_end_user
from stablebrowse.credentials.v1 import credentials_pb2, credentials_pb2_grpc

log = logging.getLogger(__name__)


def document_id(business_id: str, end_user_id: str, domain: str) -> str:
    return hashlib.sha256(vault.owner(business_id, end_user_id, domain)).hexdigest()


def secret_payload(request: credentials_pb2.PutCredentialRequest, domain: str) -> bytes:
    cookies = [json_format.MessageToDict(c, preserving_proto_field_name=True) for c in request.cookies]
    for cookie in cookies:
        cookie.setdefault("domain", "." + domain)
        cookie["domain"] = cookie["domain"].lower()
        cookie.setdefault("path", "/")
    return json.dumps({"cookies": cookies, "username": request.username, "password": request.password}).encode()


def summary(doc: dict) -> credentials_pb2.Credential:
    credential = credentials_pb2.Credential(domain=doc["domain"], kind=doc["kind"])
    credential.updated_at.FromDatetime(doc["updated_at"])
    return credential


class CredentialServicer(credentials_pb2_grpc.CredentialServiceServicer):
    def __init__(self, db, sealer: vault.Vault | None):
        self.db = db
        self.vault = sealer

    async def PutCredential(self, request: credentials_pb2.PutCredentialRequest,
                            context: grpc.aio.ServicerContext) -> credentials_pb2.Credential:
        business_id = await auth.authenticate(self.db, context.invocation_metadata())
        domain = validate_put(request)
        if self.vault is None:
            raise Unavailable("credential storage is not configured on this server (STABLEBROWSE_SECRET_KEY)")
        sealed = self.vault.seal(secret_payload(request, domain), vault.owner(business_id, request.end_user_id, domain))
        doc = {
            "_id": document_id(business_id, request.end_user_id, domain),
            "business_id": business_id, "end_user_id": request.end_user_id, "domain": domain,
            "kind": kind(request), "updated_at": datetime.datetime.now(datetime.UTC).replace(microsecond=0),
            "key_id": sealed.key_id, "nonce": Binary(sealed.nonce), "ciphertext": Binary(sealed.ciphertext),
        }
        await mongo.durable(self.db, mongo.CREDENTIALS).replace_one({"_id": doc["_id"]}, doc, upsert=True)
        log.info("credential stored", extra={"business_id": business_id, "domain": domain, "kind": doc["kind"]})
        return summary(doc)

    async def ListCredentials(self, request: credentials_pb2.ListCredentialsRequest,
                              context: grpc.aio.ServicerContext) -> credentials_pb2.ListCredentialsResponse:
        business_id = await auth.authenticate(self.db, context.invocation_metadata())
        validate_end_user(request.end_user_id, required=True)
        cursor = self.db[mongo.CREDENTIALS].find(
            {"business_id": business_id, "end_user_id": request.end_user_id},
            {"domain": 1, "kind": 1, "updated_at": 1},
        )
        docs = sorted(await cursor.to_list(None), key=lambda d: d["domain"])
        return credentials_pb2.ListCredentialsResponse(credentials=[summary(d) for d in docs])

    async def DeleteCredential(self, request: credentials_pb2.DeleteCredentialRequest,
                               context: grpc.aio.ServicerContext) -> credentials_pb2.DeleteCredentialResponse:
        business_id = await auth.authenticate(self.db, context.invocation_metadata())
        validate_end_user(request.end_user_id, required=True)
        domain = normalize_domain(request.domain)
        result = await mongo.durable(self.db, mongo.CREDENTIALS).delete_one(
            {"_id": document_id(business_id, request.end_user_id, domain), "business_id": business_id})
        if result.deleted_count == 0:
            raise NotFound(f"domain: no credential stored for {domain} for this end user")
        log.info("credential deleted", extra={"business_id": business_id, "domain": domain})
        return credentials_pb2.DeleteCredentialResponse()
