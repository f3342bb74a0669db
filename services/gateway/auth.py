"""Bearer API keys: looked up by hash on every request, so revocation is immediate."""
from services.common import ids, mongo
from services.common.errors import PermissionDenied, Unauthenticated


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
    token = bearer_token(metadata)
    doc = await db[mongo.API_KEYS].find_one({"key_hash": ids.hash_api_key(token)})
    if doc is None:
        raise Unauthenticated("invalid API key")
    if doc.get("revoked_at") is not None:
        raise PermissionDenied("API key has been revoked")
    return doc["business_id"]
