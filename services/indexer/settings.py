from services.common.settings import BaseServiceSettings, MongoSettings


class IndexerSettings(BaseServiceSettings, MongoSettings):
    indexer_listen: str = "[::]:50053"
    host_map: str = ""
