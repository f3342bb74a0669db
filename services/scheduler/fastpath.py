"""Indexed answers at submit: the scheduler asks the indexer before it queues a task.

An answer is stored as the task's terminal record (the same record a worker's indexed answer
leaves) and a `completed` event is produced on the events topic, so the event stream and the
webhook deliverer see the task end as they would for any other. A decline, an error or the
deadline means the task is queued for the browser pool as usual (whose worker may still ask
the indexer, with its own, longer deadline)."""
import logging
import time
from collections.abc import Awaitable, Callable

import grpc
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError

from services.common import ids, metrics, mongo, requestid
from services.common.errors import Unavailable
from services.common.htmldump import cap_html
from services.scheduler import quotas, tasks
from stablebrowse.events.v1 import events_pb2
from stablebrowse.indexer.v1 import indexer_pb2, indexer_pb2_grpc
from stablebrowse.tasks.v1 import tasks_pb2

log = logging.getLogger(__name__)

# The worker id on the task document and on the event: no worker ran it.
ANSWERED_BY = "scheduler"


def request_for(doc: dict) -> indexer_pb2.AnswerRequest:
    request = indexer_pb2.AnswerRequest(task=doc["task"], schema_json=doc.get("schema_json") or "",
                                        include_html_dump=doc["include_html_dump"],
                                        require_grounded=doc.get("require_grounded", False))
    if doc.get("start_url") is not None:
        request.start_url = doc["start_url"]
    return request


def outcome(reply: indexer_pb2.AnswerResponse, duration_ms: int) -> events_pb2.TaskCompleted:
    """The `completed` outcome a worker would report for this answer."""
    steps = [tasks_pb2.StepSummary(n=n, type=s.type, msg=s.msg, success=True) for n, s in enumerate(reply.steps, start=1)]
    for step in steps:
        step.at.GetCurrentTime()
    done = events_pb2.TaskCompleted(
        result=reply.result, structured_content_json=reply.structured_content_json, total_steps=len(steps),
        duration_ms=duration_ms, visited_urls=list(dict.fromkeys(u for u in reply.visited_urls if u)),
        usage=tasks_pb2.Usage(), steps=steps)
    if reply.HasField("html_dump"):
        done.html_dump = cap_html(reply.html_dump)
    if reply.HasField("verification"):
        done.verification.CopyFrom(reply.verification)
    return done


def document_fields(done: events_pb2.TaskCompleted) -> dict:
    """What the projection would write for that outcome, steps included."""
    return {**tasks.completed_fields(done), "step_summaries": [tasks.step_fields(s) for s in done.steps]}


def completed_event(task_id: str, done: events_pb2.TaskCompleted) -> events_pb2.TaskEvent:
    """The terminal event for a task answered here (without html_dump: no consumer reads it)."""
    event = events_pb2.TaskEvent(task_id=task_id, worker_id=ANSWERED_BY, completed=done)
    event.completed.ClearField("html_dump")
    event.at.GetCurrentTime()
    return event


class SubmitAnswers:
    """Asks the indexer within `timeout_s`; on an answer, stores and announces the outcome."""

    def __init__(self, db, producer: AIOKafkaProducer, events_topic: str,
                 indexer: indexer_pb2_grpc.IndexerServiceStub | None, timeout_s: float):
        self.db = db
        self.producer = producer
        self.events_topic = events_topic
        self.indexer = indexer
        self.timeout_s = timeout_s

    async def wanted(self, doc: dict) -> bool:
        """Not for a business that turned indexed answers off, nor for a turn that must wait
        for an earlier turn of its session (the browser path keeps turns in order)."""
        if self.indexer is None or doc["browser_only"]:
            return False
        if doc.get("first_turn"):
            return True
        earlier = await self.db[mongo.TASKS].find_one({
            "business_id": doc["business_id"], "session_id": doc["session_id"],
            "status": {"$in": [tasks.PENDING, tasks.RUNNING]}}, {"_id": 1})
        return earlier is None

    async def ask(self, doc: dict) -> indexer_pb2.AnswerResponse | None:
        assert self.indexer is not None
        try:
            reply = await self.indexer.Answer(request_for(doc), timeout=self.timeout_s)
        except grpc.aio.AioRpcError as exc:
            log.info("indexer not asked in time, queueing", extra={"task_id": doc["_id"], "code": exc.code().name})
            return None
        return reply if reply.answered else None

    async def answer(self, doc: dict, after_insert: Callable[[str], Awaitable[None]]) -> bool:
        """True once the task is stored as completed and its event is on Kafka; False when the
        indexer declined (nothing was written). Raises Unavailable (nothing kept) if the event
        could not be produced."""
        began = time.perf_counter()
        if not await self.wanted(doc):
            return False
        reply = await self.ask(doc)
        if reply is None:
            return False
        now = ids.now()
        done = outcome(reply, int((time.perf_counter() - began) * 1000))
        doc.update(document_fields(done), attempts=1,
                   worker_id=ANSWERED_BY, started_at=now, finished_at=now, updated_at=now, slot_held=False)
        await tasks.insert(self.db, doc)
        try:
            await after_insert(doc["_id"])
            await self.announce(doc["_id"], done)
        except BaseException:
            await mongo.durable(self.db, mongo.TASKS).delete_one({"_id": doc["_id"], "worker_id": ANSWERED_BY})
            raise
        await self.give_back_slot(doc)
        metrics.task_ended("indexed", tasks.COMPLETED, "", time.perf_counter() - began)
        log.info("task answered at submit", extra={"task_id": doc["_id"], "source": reply.source,
                                                   "ms": round((time.perf_counter() - began) * 1000, 2)})
        return True

    async def announce(self, task_id: str, done: events_pb2.TaskCompleted) -> None:
        try:
            await self.producer.send_and_wait(self.events_topic, completed_event(task_id, done).SerializeToString(),
                                              key=task_id.encode(), headers=requestid.kafka_headers())
        except KafkaError as exc:
            log.error("answer not announced", extra={"task_id": task_id, "error": type(exc).__name__})
            raise Unavailable("task queue unavailable, nothing was created; retry later") from None

    async def give_back_slot(self, doc: dict) -> None:
        """The task was stored without holding its slot; a failure here is drift that
        reconcile repairs, not a failed submission (the task is stored and announced)."""
        try:
            await quotas.release_slot(self.db, doc["business_id"])
        except Exception:
            log.exception("slot not given back, reconcile will", extra={"task_id": doc["_id"]})
