"""Identifiers, API keys and timestamps."""
import datetime
import hashlib
import secrets

KEY_PREFIX = "sb_"


def new_id() -> str:
    """An unguessable identifier: 128 random bits, hex."""
    return secrets.token_hex(16)


def new_api_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_api_key(key: str) -> str:
    """Keys carry 256 random bits, so a plain SHA-256 is a safe at-rest form."""
    return hashlib.sha256(key.encode()).hexdigest()


def now() -> datetime.datetime:
    """Current UTC time, truncated to milliseconds (what MongoDB stores)."""
    t = datetime.datetime.now(datetime.UTC)
    return t.replace(microsecond=t.microsecond // 1000 * 1000)
