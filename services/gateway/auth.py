"""Bearer API keys: looked up by hash through the scheduler (AccountService.Authenticate, the
owner of `api_keys`), remembered for at most KEYS.ttl_s (1 s by default:
STABLEBROWSE_API_KEY_CACHE_SECONDS), so a revoked key is refused within that bound."""
from collections.abc import Iterable

from services.common import ids
from services.common.errors import PermissionDenied, Unauthenticated
from services.gateway.keycache import KeyCache, KnownKey
from stablebrowse.accounts.v1 import accounts_pb2, accounts_pb2_grpc

# This process's keys; the gateway sets its ttl from its settings at start.
KEYS = KeyCache()


def bearer_token(metadata: Iterable[tuple[str, str | bytes]] | None) -> str:
    header = dict(metadata or ()).get("authorization")
    if not header or not isinstance(header, str):
        raise Unauthenticated("missing Authorization header")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise Unauthenticated("malformed Authorization header: expected 'Bearer <api key>'")
    return token


class Authenticator:
    """Who is calling: the business of the request's API key."""

    def __init__(self, accounts: accounts_pb2_grpc.AccountServiceStub, timeout: float, cache: KeyCache = KEYS):
        self.accounts = accounts
        self.timeout = timeout
        self.cache = cache

    async def business_of(self, metadata: Iterable[tuple[str, str | bytes]] | None) -> str:
        key = await self.lookup(ids.hash_api_key(bearer_token(metadata)))
        if key is None:
            raise Unauthenticated("invalid API key")
        if key.revoked:
            raise PermissionDenied("API key has been revoked")
        return key.business_id

    async def lookup(self, key_hash: str) -> KnownKey | None:
        known = self.cache.get(key_hash)
        if known is not None:
            return known
        sent_at = self.cache.clock()
        found = await self.accounts.Authenticate(accounts_pb2.AuthenticateRequest(key_hash=key_hash),
                                                 timeout=self.timeout)
        if not found.found:
            return None
        known = KnownKey(business_id=found.business_id, revoked=found.revoked)
        self.cache.put(key_hash, known, sent_at)
        return known
