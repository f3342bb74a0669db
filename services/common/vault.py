"""Secrets at rest: AES-256-GCM with keys from the environment.

STABLEBROWSE_SECRET_KEY is the current key (32 random bytes, base64); everything is sealed
with it. STABLEBROWSE_SECRET_KEY_PREVIOUS, when set, is an older key that can still open
what it sealed (rotation: set the new key as current and the old one as previous, run
`stablebrowse-admin vault rotate`, then drop the previous key). Each sealed value names its
key by id (a hash of the key, never the key) and is bound to its owner by associated data,
so a ciphertext copied into another business's document does not open.
"""
import base64
import binascii
import dataclasses
import hashlib
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM


class VaultError(Exception):
    """A key is missing or malformed, or a sealed value does not open with any key."""


@dataclasses.dataclass(frozen=True)
class Sealed:
    key_id: str
    nonce: bytes
    ciphertext: bytes


def new_key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


def key_id(key: bytes) -> str:
    return hashlib.sha256(b"stablebrowse-vault-key-id\x00" + key).hexdigest()[:16]


def _decode(text: str, name: str) -> bytes:
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise VaultError(f"{name}: not base64") from None
    if len(key) != 32:
        raise VaultError(f"{name}: must be 32 bytes (base64 of 32 random bytes), got {len(key)}")
    return key


class Vault:
    def __init__(self, current: str, previous: str = ""):
        if not current:
            raise VaultError("STABLEBROWSE_SECRET_KEY is not set")
        key = _decode(current, "STABLEBROWSE_SECRET_KEY")
        self.current_id = key_id(key)
        self._keys = {self.current_id: AESGCM(key)}
        if previous:
            old = _decode(previous, "STABLEBROWSE_SECRET_KEY_PREVIOUS")
            self._keys.setdefault(key_id(old), AESGCM(old))

    def seal(self, plaintext: bytes, owner: bytes) -> Sealed:
        nonce = os.urandom(12)
        return Sealed(self.current_id, nonce, self._keys[self.current_id].encrypt(nonce, plaintext, owner))

    def open(self, sealed: Sealed, owner: bytes) -> bytes:
        aead = self._keys.get(sealed.key_id)
        if aead is None:
            raise VaultError(f"sealed with an unknown key ({sealed.key_id}); is STABLEBROWSE_SECRET_KEY_PREVIOUS set?")
        try:
            return aead.decrypt(sealed.nonce, sealed.ciphertext, owner)
        except InvalidTag:
            raise VaultError("sealed value does not open: wrong key or owner") from None


def owner(business_id: str, end_user_id: str, domain: str) -> bytes:
    """The associated data a credential is sealed under."""
    return "\x00".join((business_id, end_user_id, domain)).encode()


def maybe(current: str, previous: str = "") -> Vault | None:
    """A vault when a key is configured, else None (credential storage is then unavailable)."""
    return Vault(current, previous) if current else None
