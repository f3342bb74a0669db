"""Site adapters, one file per site: adding a site is adding a file and a line here."""
from services.indexer.sites.airbnb import Airbnb
from services.indexer.sites.amazon import Amazon
from services.indexer.sites.base import Adapter, Answer, Query
from services.indexer.sites.hn import HackerNews
from services.indexer.sites.wikipedia import Wikipedia


def all_adapters() -> list[Adapter]:
    return [HackerNews(), Wikipedia(), Amazon(), Airbnb()]


__all__ = ["Adapter", "Answer", "Query", "all_adapters"]
