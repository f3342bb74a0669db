"""API keys the scheduler found, remembered for at most `ttl_s` (≤ 1 s by default), so a
burst of requests with one key costs one lookup, and a revoked key is refused within ttl_s.
Only keys that exist are remembered (an unknown key is looked up every time: nobody can fill
the cache with made-up keys); at most `max_entries`, the oldest dropped first."""
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class KnownKey:
    business_id: str
    revoked: bool


class KeyCache:
    def __init__(self, ttl_s: float = 1.0, max_entries: int = 10_000,
                 clock: Callable[[], float] = time.monotonic):
        self.ttl_s = ttl_s
        self.max_entries = max_entries
        self.clock = clock
        self._entries: OrderedDict[str, tuple[float, KnownKey]] = OrderedDict()

    def get(self, key_hash: str) -> KnownKey | None:
        found = self._entries.get(key_hash)
        if found is None:
            return None
        fetched_at, key = found
        if self.clock() - fetched_at >= self.ttl_s:
            del self._entries[key_hash]
            return None
        return key

    def put(self, key_hash: str, key: KnownKey, fetched_at: float) -> None:
        """`fetched_at`: the clock when the lookup was sent (the entry is no fresher than that)."""
        if self.ttl_s <= 0:
            return
        self._entries.pop(key_hash, None)
        self._entries[key_hash] = (fetched_at, key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)
