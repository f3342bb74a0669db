"""IndexerService.Answer: question -> adapter -> indexed page -> answer, or a decline.

Declines whenever unsure: no adapter recognizes the question, two do, the page is not
fresh and cannot be read live, or a caller's schema is not covered by indexed fields."""
import json
import logging
import time

import grpc

from services.common.grounding import verify
from services.indexer.pagetext import page_text
from services.indexer.question import Question
from services.indexer.sites import Adapter, Query
from services.indexer.sites.base import fill_schema
from services.indexer.store import PageStore
from stablebrowse.indexer.v1 import indexer_pb2, indexer_pb2_grpc
from stablebrowse.tasks.v1 import tasks_pb2

log = logging.getLogger(__name__)


def decline(reason: str) -> indexer_pb2.AnswerResponse:
    return indexer_pb2.AnswerResponse(answered=False, decline_reason=reason)


class IndexerServicer(indexer_pb2_grpc.IndexerServiceServicer):
    def __init__(self, store: PageStore, live_timeout_s: float = 1.5):
        self.store = store
        self.adapters = store.adapters
        self.live_timeout_s = live_timeout_s

    def _match(self, question: Question) -> list[tuple[Adapter, Query]]:
        found = []
        for adapter in self.adapters:
            if question.host is not None and not adapter.owns(question.host):
                continue
            query = adapter.match(question, self.store.indexed(adapter))
            if query is not None:
                found.append((adapter, query))
        return found

    async def Answer(self, request: indexer_pb2.AnswerRequest, context: grpc.aio.ServicerContext) -> indexer_pb2.AnswerResponse:
        began = time.perf_counter()
        reply = await self.answer(request)
        log.info("answer", extra={"answered": reply.answered, "source": reply.source, "reason": reply.decline_reason,
                                  "ms": round((time.perf_counter() - began) * 1000, 2)})
        return reply

    async def answer(self, request: indexer_pb2.AnswerRequest) -> indexer_pb2.AnswerResponse:
        question = Question.parse(request.task, request.start_url if request.HasField("start_url") else None)
        found = self._match(question)
        if len(found) != 1:
            return decline("no site recognizes the question" if not found else "more than one site recognizes it")
        query: Query | None
        adapter, query = found[0]
        page = await self.store.get(adapter, query.url, self.live_timeout_s)
        if page is not None and query.intent == "pending":  # a page read live just now: match again with it
            found = self._match(question)
            query = found[0][1] if len(found) == 1 and found[0][0] is adapter else None
            page = self.store.fresh(adapter, query.url) if query is not None and query.intent != "pending" else None
        if page is None:
            return decline("no fresh copy of the page")
        assert query is not None  # a page is read only for a query
        answer = adapter.answer(query, page.data)
        if answer is None:
            return decline("the indexed page does not answer it")
        structured: str | None = ""
        if request.schema_json:
            structured = fill_schema(request.schema_json, answer.record, adapter.aliases)
            if structured is None:
                return decline("the schema is not covered by indexed fields")
        checked = verify(answer.result, json.loads(structured) if structured else None, [page_text(page.url, page.html)])
        if request.require_grounded and not checked.grounded:
            return decline("the answer is not grounded on the indexed page")
        age = round(page.age_s(self.store.clock()))
        steps = [
            indexer_pb2.Step(type="discovery", msg=f"Resolved the question to {adapter.host}"),
            indexer_pb2.Step(type="planning", msg=f"Answered from the indexed {adapter.page_name} (fetched {age}s ago)"),
            indexer_pb2.Step(type="execution", msg=answer.read),
        ]
        return indexer_pb2.AnswerResponse(
            answered=True, result=answer.result, structured_content_json=structured, visited_urls=[query.url],
            html_dump=page.html if request.include_html_dump else None, source=adapter.host, steps=steps,
            verification=tasks_pb2.Verification(grounded=checked.grounded, unsupported=list(checked.unsupported)),
        )
