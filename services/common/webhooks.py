"""What the webhooks service and the admin CLI (vault rotation) share: collection names, the
signing secret (sealed with the vault), and the Standard Webhooks signature.

A business's webhook is one document in `webhooks` (_id = business id). Its secret is
"whsec_" + base64 of 32 random bytes; it is stored sealed (services/common/vault.py) under
associated data naming the business, since the deliverer must sign with it."""
import base64
import hashlib
import hmac
import os
from typing import Any

from services.common import vault

WEBHOOKS = "webhooks"
DELIVERIES = "webhook_deliveries"
EVENT_TYPES = ("task.completed", "task.failed")
SECRET_PREFIX = "whsec_"


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(os.urandom(32)).decode()


def _owner(business_id: str) -> bytes:
    return b"webhook\x00" + business_id.encode()


def seal_secret(sealer: vault.Vault, business_id: str, secret: str) -> dict[str, Any]:
    """The document fields that hold the secret (bytes are stored as BSON binary)."""
    sealed = sealer.seal(secret.encode(), _owner(business_id))
    return {"key_id": sealed.key_id, "nonce": sealed.nonce, "ciphertext": sealed.ciphertext}


def open_secret(sealer: vault.Vault, doc: dict[str, Any]) -> str:
    sealed = vault.Sealed(doc["key_id"], bytes(doc["nonce"]), bytes(doc["ciphertext"]))
    return sealer.open(sealed, _owner(doc["_id"])).decode()


def signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """The webhook-signature header: v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def delivery_id(task_id: str) -> str:
    """The webhook-id of a task's outcome: one per task, so a replayed event is not sent twice."""
    return "msg_" + task_id

