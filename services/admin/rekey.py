"""Vault key rotation: re-seal every stored credential (and webhook secret) with the current key.

Run with STABLEBROWSE_SECRET_KEY = the new key and STABLEBROWSE_SECRET_KEY_PREVIOUS = the old
one; afterwards the old key can be dropped. Idempotent: entries already under the current
key are left alone."""
from typing import Any

from bson.binary import Binary

from services.common import mongo, vault, webhooks


async def reseal_all(db, sealer: vault.Vault) -> dict[str, Any]:
    counts: dict[str, Any] = {"resealed": 0, "current": 0, "unreadable": 0}
    credentials = mongo.durable(db, mongo.CREDENTIALS)
    async for doc in credentials.find({}):
        if doc["key_id"] == sealer.current_id:
            counts["current"] += 1
            continue
        owner = vault.owner(doc["business_id"], doc["end_user_id"], doc["domain"])
        try:
            plain = sealer.open(vault.Sealed(doc["key_id"], bytes(doc["nonce"]), bytes(doc["ciphertext"])), owner)
        except vault.VaultError:
            counts["unreadable"] += 1
            continue
        sealed = sealer.seal(plain, owner)
        await credentials.update_one({"_id": doc["_id"], "key_id": doc["key_id"]}, {"$set": {
            "key_id": sealed.key_id, "nonce": Binary(sealed.nonce), "ciphertext": Binary(sealed.ciphertext)}})
        counts["resealed"] += 1
    counts["webhooks"] = await webhooks.reseal_secrets(db, sealer)
    return counts
