import pytest

from services.common import hostmap


def test_parses_entries_and_builds_chromium_rules():
    mapping = hostmap.parse(" news.ycombinator.com=127.0.0.1:9101, En.Wikipedia.org=127.0.0.1:9102 ")
    assert mapping == {"news.ycombinator.com": "127.0.0.1:9101", "en.wikipedia.org": "127.0.0.1:9102"}
    assert hostmap.chromium_resolver_rules(mapping) == (
        "MAP news.ycombinator.com 127.0.0.1:9101, MAP en.wikipedia.org 127.0.0.1:9102"
    )


def test_empty_map_means_production():
    assert hostmap.parse("") == {}
    assert hostmap.chromium_resolver_rules({}) is None


@pytest.mark.parametrize("bad", ["news.ycombinator.com", "=127.0.0.1:1", "host=127.0.0.1"])
def test_bad_entries_are_refused_with_the_entry_named(bad):
    with pytest.raises(ValueError, match="STABLEBROWSE_HOST_MAP"):
        hostmap.parse(bad)
