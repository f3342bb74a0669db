"""Bearer API keys: looked up by hash, remembered for at most KEYS.ttl_s (1 s by default:
STABLEBROWSE_API_KEY_CACHE_SECONDS), so a revoked key is refused within that bound."""
from services.common import ids, mongo
from services.common.errors import PermissionDenied, Unauthenticated
from services.gateway.keycache import KeyCache, KnownKey

# This process's keys; the gateway sets its ttl from its settings at start.
KEYS = KeyCache()


def bearer_token(metadata) -> str:
    header = dict(metadata or ()).get("authorization")
    if not header:
        raise Unauthenticated("missing Authorization header")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise Unauthenticated("malformed Authorization header: expected 'Bearer <api key>'")
    return token


async def authenticate(db, metadata) -> str:
    """Returns the caller's business id."""
    key = await lookup(db, ids.hash_api_key(bearer_token(metadata)))
    if key is None:
        raise Unauthenticated("invalid API key")
    if key.revoked:
        raise PermissionDenied("API key has been revoked")
    return key.business_id


async def lookup(db, key_hash: str, cache: KeyCache = KEYS) -> KnownKey | None:
    known = cache.get(key_hash)
    if known is not None:
        return known
    sent_at = cache.clock()
    doc = await db[mongo.API_KEYS].find_one({"key_hash": key_hash}, {"business_id": 1, "revoked_at": 1})
    if doc is None:
        return None
    known = KnownKey(business_id=doc["business_id"], revoked=doc.get("revoked_at") is not None)
    cache.put(key_hash, known, sent_at)
    return known
