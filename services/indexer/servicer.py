"""IndexerService. No site adapters are registered yet, so every question is declined
and the browser path answers; adapters are added one file per site."""
import grpc
from stablebrowse.indexer.v1 import indexer_pb2, indexer_pb2_grpc


class IndexerServicer(indexer_pb2_grpc.IndexerServiceServicer):
    def __init__(self, adapters: list):
        self.adapters = adapters

    async def Answer(self, request: indexer_pb2.AnswerRequest, context: grpc.aio.ServicerContext) -> indexer_pb2.AnswerResponse:
        for adapter in self.adapters:
            answer = await adapter.answer(request)
            if answer is not None:
                return answer
        return indexer_pb2.AnswerResponse(answered=False)
