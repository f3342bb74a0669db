"""The pool member: consumes dispatches, claims each task, runs it, reports events."""
import asyncio
import collections
import logging
import time

import grpc
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from google.protobuf.message import DecodeError
from stablebrowse.events.v1 import events_pb2
from stablebrowse.scheduler.v1 import scheduler_pb2, scheduler_pb2_grpc

from services.browser.chromium import ChromiumPool
from services.browser.events import TaskReporter
from services.browser.runner import run_task
from services.browser.settings import BrowserSettings

log = logging.getLogger(__name__)


class Worker:
    def __init__(self, consumer: AIOKafkaConsumer, producer: AIOKafkaProducer, events_topic: str,
                 scheduler: scheduler_pb2_grpc.SchedulerServiceStub, pool: ChromiumPool, settings: BrowserSettings,
                 indexer=None):
        self.consumer = consumer
        self.producer = producer
        self.events_topic = events_topic
        self.scheduler = scheduler
        self.indexer = indexer
        self.pool = pool
        self.settings = settings
        self.worker_id = settings.worker_id
        self.concurrency = settings.worker_concurrency

    async def run_forever(self) -> None:
        while True:
            batches = await self.consumer.getmany(timeout_ms=500, max_records=self.concurrency)
            records = [r for rs in batches.values() for r in rs]
            if not records:
                continue
            # Turns of one session (same key) run in order; different sessions run side by side.
            by_session = collections.defaultdict(list)
            for record in records:
                by_session[record.key].append(record)
            await asyncio.gather(*(self._run_in_order(rs) for rs in by_session.values()))
            await self.consumer.commit()

    async def _run_in_order(self, records) -> None:
        for record in records:
            try:
                dispatch = events_pb2.TaskDispatch.FromString(record.value)
            except DecodeError:
                log.error("undecodable dispatch skipped", extra={"offset": record.offset})
                continue
            await self.handle(dispatch, record.timestamp)

    async def _claim(self, task_id: str) -> scheduler_pb2.ClaimTaskResponse:
        delay = 0.2
        while True:
            try:
                return await self.scheduler.ClaimTask(
                    scheduler_pb2.ClaimTaskRequest(task_id=task_id, worker_id=self.worker_id), timeout=10
                )
            except grpc.aio.AioRpcError as exc:
                if exc.code() not in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED):
                    raise
                log.warning("scheduler unreachable, retrying claim", extra={"task_id": task_id, "delay_s": delay})
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)

    async def _heartbeat(self, report: TaskReporter) -> None:
        while True:
            await asyncio.sleep(self.settings.heartbeat_seconds)
            try:
                await report.heartbeat()
            except Exception:
                log.warning("heartbeat not sent", extra={"task_id": report.task_id})

    async def handle(self, dispatch: events_pb2.TaskDispatch, queued_at_ms: int | None = None) -> None:
        consumed = time.time() * 1000
        claim = await self._claim(dispatch.task_id)
        if not claim.claimed:
            log.info("task already claimed or ended, skipped", extra={"task_id": dispatch.task_id})
            return
        report = TaskReporter(self.producer, self.events_topic, dispatch.task_id, self.worker_id)
        log.info("task started", extra={
            "task_id": dispatch.task_id, "claim_ms": round(time.time() * 1000 - consumed, 1),
            "queue_ms": round(consumed - queued_at_ms, 1) if queued_at_ms else None})
        beat = asyncio.create_task(self._heartbeat(report))
        try:
            await run_task(self.pool, self.settings, claim.spec, report, self.indexer)
        except Exception as exc:
            log.exception("task crashed", extra={"task_id": dispatch.task_id})
            await report.failed(f"worker error: {type(exc).__name__}", "internal_error")
        finally:
            beat.cancel()
        log.info("task finished", extra={"task_id": dispatch.task_id, "duration_ms": report.elapsed_ms()})
