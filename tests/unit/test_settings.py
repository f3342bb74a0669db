"""Comma-separated settings are parsed by the services' settings classes, from the same
environment variables as before."""
import pydantic
import pytest

from services.browser.settings import BrowserSettings
from services.indexer.settings import IndexerSettings
from services.webhooks.settings import WebhookSettings


def test_the_browser_reads_its_host_map_and_allowed_hosts(monkeypatch):
    monkeypatch.setenv("STABLEBROWSE_HOST_MAP", " news.ycombinator.com=127.0.0.1:9101, En.Wikipedia.org=127.0.0.1:9102 ")
    monkeypatch.setenv("STABLEBROWSE_ALLOWED_HOSTS", "localhost, Bank.TEST,,")
    settings = BrowserSettings()
    assert settings.host_map == {"news.ycombinator.com": "127.0.0.1:9101", "en.wikipedia.org": "127.0.0.1:9102"}
    assert settings.allowed_hosts == frozenset({"localhost", "bank.test"})


def test_unset_lists_are_empty(monkeypatch):
    for name in ("STABLEBROWSE_HOST_MAP", "STABLEBROWSE_ALLOWED_HOSTS", "STABLEBROWSE_WEBHOOK_ALLOWED_HOSTS"):
        monkeypatch.setenv(name, "")
    assert BrowserSettings().host_map == {} and BrowserSettings().allowed_hosts == frozenset()
    assert IndexerSettings().host_map == {}
    assert WebhookSettings().webhook_allowed_hosts == frozenset()


def test_a_bad_host_map_entry_stops_the_start_naming_it(monkeypatch):
    monkeypatch.setenv("STABLEBROWSE_HOST_MAP", "news.ycombinator.com")
    with pytest.raises(pydantic.ValidationError, match="STABLEBROWSE_HOST_MAP: bad entry 'news.ycombinator.com'"):
        IndexerSettings()


def test_webhook_delays_and_hosts(monkeypatch):
    monkeypatch.setenv("STABLEBROWSE_WEBHOOK_RETRY_DELAYS", "0.5, 2,10")
    monkeypatch.setenv("STABLEBROWSE_WEBHOOK_ALLOWED_HOSTS", "LocalHost")
    settings = WebhookSettings()
    assert settings.webhook_retry_delays == [0.5, 2.0, 10.0]
    assert settings.webhook_allowed_hosts == frozenset({"localhost"})


def test_a_delay_that_is_not_a_number_is_refused(monkeypatch):
    monkeypatch.setenv("STABLEBROWSE_WEBHOOK_RETRY_DELAYS", "5,soon")
    with pytest.raises(pydantic.ValidationError, match="webhook_retry_delays"):
        WebhookSettings()
