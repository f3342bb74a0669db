"""Asks the indexer first: an indexed answer completes the task without a browser
context. Any decline, error or timeout means the browser path runs instead."""
import logging
import time

import grpc

from services.browser.agent.llm import Usage
from services.browser.events import TaskReporter
from stablebrowse.indexer.v1 import indexer_pb2, indexer_pb2_grpc
from stablebrowse.scheduler.v1 import scheduler_pb2

log = logging.getLogger(__name__)


def wanted(spec: scheduler_pb2.TaskSpec, enabled: bool) -> bool:
    """The worker's switch (STABLEBROWSE_FAST_PATH) and the business's (browser_only)."""
    return enabled and not spec.browser_only


async def ask(indexer: indexer_pb2_grpc.IndexerServiceStub, spec: scheduler_pb2.TaskSpec,
              timeout_s: float) -> indexer_pb2.AnswerResponse | None:
    request = indexer_pb2.AnswerRequest(task=spec.task, schema_json=spec.schema_json,
                                        include_html_dump=spec.include_html_dump, require_grounded=spec.require_grounded)
    if spec.HasField("start_url"):
        request.start_url = spec.start_url
    began = time.perf_counter()
    try:
        reply = await indexer.Answer(request, timeout=timeout_s)
    except grpc.aio.AioRpcError as exc:
        log.warning("indexer unavailable, using the browser", extra={"task_id": spec.task_id, "code": exc.code().name})
        return None
    except Exception:  # whatever went wrong, the browser path still answers
        log.exception("indexer call failed, using the browser", extra={"task_id": spec.task_id})
        return None
    log.info("indexer asked", extra={"task_id": spec.task_id, "answered": reply.answered,
                                     "reason": reply.decline_reason, "ms": round((time.perf_counter() - began) * 1000, 2)})
    return reply if reply.answered else None


async def report_answer(reply: indexer_pb2.AnswerResponse, report: TaskReporter, cap_html) -> None:
    """The same record the browser path leaves: steps, visited URLs, result, structured data.
    The steps ride with the outcome (one event, one document update): they took microseconds."""
    report.path = "indexed"
    for url in reply.visited_urls:
        report.visit(url)
    dump = cap_html(reply.html_dump) if reply.HasField("html_dump") else None
    await report.completed(reply.result, reply.structured_content_json, dump, Usage(),
                           steps=tuple((step.type, step.msg) for step in reply.steps),
                           verification=reply.verification if reply.HasField("verification") else None)
