from services.common.internal_auth import InternalAuthSettings
from services.common.settings import BaseServiceSettings, MongoSettings


class IndexerSettings(BaseServiceSettings, MongoSettings, InternalAuthSettings):
    indexer_listen: str = "[::]:50053"
    host_map: str = ""
    # A page older than its site's max age is read live within this time, or the question declined.
    live_fetch_timeout_seconds: float = 1.5
    # Run the per-site refreshers (off in tests that drive the store themselves).
    refresh: bool = True
