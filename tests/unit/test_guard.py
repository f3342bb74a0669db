"""The request guard's decisions (services/browser/guard.py) without a browser: which URLs a
task's page may request, and which refusals it remembers. Names resolve through the system
resolver (localhost) or not at all (.invalid); nothing is mocked."""
import pytest

from services.browser.guard import RequestGuard


def guard(allowed: set[str] = frozenset()) -> RequestGuard:
    return RequestGuard({"news.ycombinator.com": "127.0.0.1:8443"}, set(allowed))


@pytest.mark.parametrize("url", [
    "https://8.8.8.8/", "http://[2606:4700:4700::1111]/",
    "https://news.ycombinator.com/item?id=1",   # on the host map: served by the local replica
    "data:text/html,hi", "blob:https://8.8.8.8/1", "about:blank",
    "https://no-such-host.invalid/",              # unresolvable: Chromium fails it as a navigation error
])
async def test_allowed(url):
    g = guard()
    assert await g.allows(url) is True
    assert g.refusals == []


@pytest.mark.parametrize("url, remembered", [
    ("http://127.0.0.1:8080/", "127.0.0.1"),
    ("http://10.1.2.3/", "10.1.2.3"),
    ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"),
    ("http://metadata.google.internal/computeMetadata/v1/", "metadata.google.internal"),
    ("http://[::ffff:10.0.0.1]/", "::ffff:10.0.0.1"),
    ("http://localhost:9/", "localhost"),          # a name that resolves to loopback
    ("ftp://8.8.8.8/file", "8.8.8.8"),             # not http(s)
    ("file:///etc/passwd", "file"),                # no host: the scheme is remembered
    ("chrome://settings", "settings"),
])
async def test_refused_and_remembered(url, remembered):
    g = guard()
    assert await g.allows(url) is False
    assert g.refusals == [remembered] and g.blocked == {remembered}


async def test_an_allowed_host_passes_even_when_it_resolves_to_loopback():
    g = guard(allowed={"localhost"})
    assert await g.allows("http://localhost:9/") is True
    assert await g.allows("http://127.0.0.1:9/") is False  # the allowance is for the name only


async def test_refusals_are_kept_in_order_and_host_names_are_case_insensitive():
    g = guard()
    for url in ("http://10.0.0.1/", "http://LOCALHOST/", "http://10.0.0.1/again"):
        assert await g.allows(url) is False
    assert g.refusals == ["10.0.0.1", "localhost", "10.0.0.1"]
    assert g.blocked == {"10.0.0.1", "localhost"}
