from pydantic import Field

from services.common.internal_auth import InternalAuthSettings
from services.common.settings import BaseServiceSettings, HostMap, MongoSettings


class IndexerSettings(BaseServiceSettings, MongoSettings, InternalAuthSettings):
    indexer_listen: str = "[::]:50053"
    host_map: HostMap = {}
    # A page older than its site's max age is read live within this time, or the question declined.
    live_fetch_timeout_seconds: float = 1.5
    # Run the per-site refreshers (off in tests that drive the store themselves).
    refresh: bool = True
    # The pages the refreshers keep fresh: comma-separated URLs of pages the site adapters
    # read (the HN front page, a Wikipedia article, an Amazon /dp/ page, an Airbnb search).
    # Any other such page is read live when a question's startUrl names it.
    kept_fresh_pages: str = "https://news.ycombinator.com/"
    # Pages read on demand that are kept (in memory and in MongoDB), oldest fetched dropped first.
    max_on_demand_pages: int = Field(1000, ge=0)
