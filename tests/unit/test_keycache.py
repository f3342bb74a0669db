"""The gateway's API-key cache: entries live at most ttl_s from when their lookup was sent."""
from services.gateway.keycache import KeyCache, KnownKey

ACME = KnownKey(business_id="acme", revoked=False)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_an_entry_is_served_until_its_ttl_from_the_lookup_has_passed():
    clock = Clock()
    cache = KeyCache(ttl_s=1.0, clock=clock)
    cache.put("h", ACME, fetched_at=99.5)  # the lookup was sent half a second ago
    assert cache.get("h") == ACME
    clock.now = 100.49
    assert cache.get("h") == ACME
    clock.now = 100.5  # one second after the lookup was sent: a revocation since then must show
    assert cache.get("h") is None


def test_a_ttl_of_zero_remembers_nothing():
    cache = KeyCache(ttl_s=0, clock=Clock())
    cache.put("h", ACME, fetched_at=100.0)
    assert cache.get("h") is None


def test_the_oldest_entry_is_dropped_past_the_bound():
    cache = KeyCache(ttl_s=1.0, max_entries=2, clock=Clock())
    for name in ("a", "b", "c"):
        cache.put(name, KnownKey(business_id=name, revoked=False), fetched_at=100.0)
    assert cache.get("a") is None
    assert [cache.get(n).business_id for n in ("b", "c")] == ["b", "c"]  # type: ignore[union-attr]
