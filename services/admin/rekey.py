"""Vault key rotation: re-seal every stored credential (and webhook secret) with the current key.

Run with STABLEBROWSE_SECRET_KEY = the new key and STABLEBROWSE_SECRET_KEY_PREVIOUS = the old
one; afterwards the old key can be dropped. The keys stay in this process: the owners (the
scheduler for credentials, the webhooks service for webhook secrets) hand out the sealed
entries a page at a time and take back each new sealing with a compare-and-set on the old key
id, so neither a key nor a secret crosses the wire. Idempotent: entries already under the
current key are left alone; one changed meanwhile (a new PUT seals with the current key) counts
as current."""
from typing import Any

from services.common import vault
from services.common import webhooks as common
from stablebrowse.accounts.v1 import accounts_pb2, accounts_pb2_grpc
from stablebrowse.webhooks.v1 import store_pb2, store_pb2_grpc

PAGE = 100


def _counts() -> dict[str, Any]:
    return {"resealed": 0, "current": 0, "unreadable": 0}


async def reseal_credentials(stub: accounts_pb2_grpc.AccountServiceStub, sealer: vault.Vault,
                             timeout: float) -> dict[str, Any]:
    counts, after = _counts(), ""
    while True:
        reply = await stub.ListSealedCredentials(
            accounts_pb2.ListSealedCredentialsRequest(after_id=after, page_size=PAGE), timeout=timeout)
        for entry in reply.credentials:
            counts[await _reseal_credential(stub, sealer, entry, timeout)] += 1
        if len(reply.credentials) < PAGE:
            return counts
        after = reply.credentials[-1].id


async def _reseal_credential(stub: accounts_pb2_grpc.AccountServiceStub, sealer: vault.Vault,
                             entry: accounts_pb2.SealedCredential, timeout: float) -> str:
    if entry.sealed.key_id == sealer.current_id:
        return "current"
    owner = vault.owner(entry.business_id, entry.end_user_id, entry.domain)
    try:
        plain = sealer.open(vault.Sealed(entry.sealed.key_id, entry.sealed.nonce, entry.sealed.ciphertext), owner)
    except vault.VaultError:
        return "unreadable"
    new = sealer.seal(plain, owner)
    reply = await stub.ResealCredential(accounts_pb2.ResealCredentialRequest(
        id=entry.id, expected_key_id=entry.sealed.key_id,
        sealed=accounts_pb2.Sealed(key_id=new.key_id, nonce=new.nonce, ciphertext=new.ciphertext)), timeout=timeout)
    return "resealed" if reply.resealed else "current"


async def reseal_webhook_secrets(stub: store_pb2_grpc.WebhookStoreStub, sealer: vault.Vault,
                                 timeout: float) -> dict[str, Any]:
    counts, after = _counts(), ""
    while True:
        reply = await stub.ListSealedSecrets(store_pb2.ListSealedSecretsRequest(after_id=after, page_size=PAGE),
                                             timeout=timeout)
        for entry in reply.secrets:
            counts[await _reseal_secret(stub, sealer, entry, timeout)] += 1
        if len(reply.secrets) < PAGE:
            return counts
        after = reply.secrets[-1].business_id


async def _reseal_secret(stub: store_pb2_grpc.WebhookStoreStub, sealer: vault.Vault,
                         entry: store_pb2.SealedSecret, timeout: float) -> str:
    if entry.key_id == sealer.current_id:
        return "current"
    stored = {"_id": entry.business_id, "key_id": entry.key_id, "nonce": entry.nonce, "ciphertext": entry.ciphertext}
    try:
        secret = common.open_secret(sealer, stored)
    except vault.VaultError:
        return "unreadable"
    new = common.seal_secret(sealer, entry.business_id, secret)
    reply = await stub.ResealSecret(store_pb2.ResealSecretRequest(
        expected_key_id=entry.key_id, sealed=store_pb2.SealedSecret(business_id=entry.business_id, **new)),
        timeout=timeout)
    return "resealed" if reply.resealed else "current"


async def reseal_all(accounts: accounts_pb2_grpc.AccountServiceStub, webhooks: store_pb2_grpc.WebhookStoreStub,
                     sealer: vault.Vault, timeout: float) -> dict[str, Any]:
    counts = await reseal_credentials(accounts, sealer, timeout)
    counts["webhooks"] = await reseal_webhook_secrets(webhooks, sealer, timeout)
    return counts
