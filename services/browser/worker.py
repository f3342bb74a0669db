"""The pool member: consumes dispatches, claims each task, runs it, reports events."""
import asyncio
import collections
import logging
import time

import grpc
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.errors import KafkaError
from google.protobuf.message import DecodeError
from stablebrowse.events.v1 import events_pb2
from stablebrowse.scheduler.v1 import scheduler_pb2, scheduler_pb2_grpc

from services.browser.agent.logins import Logins
from services.browser.chromium import ChromiumPool
from services.browser.events import TaskReporter
from services.browser.runner import run_task
from services.browser.settings import BrowserSettings
from services.common import requestid

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
        self.vault = settings.vault()
        self.browser_slots = asyncio.Semaphore(self.concurrency)
        self.max_in_flight = max(8, 4 * self.concurrency)
        self.in_flight: dict = collections.defaultdict(set)  # partition -> offsets in hand
        self.next_offset: dict = {}   # partition -> one past the newest offset seen
        self.positions: dict = {}     # partition -> offset safe to commit
        self.last_turn: dict = {}     # session key -> the task handling its latest turn
        self.running: set[asyncio.Task] = set()

    async def run_forever(self) -> None:
        """Keeps consuming while tasks run, so an indexed answer never waits behind a browser
        task: up to max_in_flight dispatches are handled at once (turns of one session one
        after another), at most `concurrency` of them in a browser. A partition's offset is
        committed up to its oldest dispatch still in hand, so a crash replays only those."""
        try:
            while True:
                room = self.max_in_flight - sum(len(offsets) for offsets in self.in_flight.values())
                assigned = self.consumer.assignment()
                if room <= 0:
                    self.consumer.pause(*assigned)  # still polled, so the group keeps us
                else:
                    self.consumer.resume(*assigned)
                batches = await self.consumer.getmany(timeout_ms=500 if room > 0 else 100, max_records=max(room, 1))
                for tp, records in batches.items():
                    for record in records:
                        self._start(tp, record)
                if self.positions:
                    await self._commit()
        finally:
            for task in list(self.running):
                task.cancel()

    def _start(self, tp, record) -> None:
        self.in_flight[tp].add(record.offset)
        self.next_offset[tp] = max(self.next_offset.get(tp, 0), record.offset + 1)
        task = asyncio.create_task(self._run_in_turn(tp, record, self.last_turn.get(record.key)))
        self.last_turn[record.key] = task
        self.running.add(task)
        task.add_done_callback(lambda t, key=record.key: self._forget(t, key))

    def _forget(self, task: asyncio.Task, key) -> None:
        self.running.discard(task)
        if self.last_turn.get(key) is task:
            del self.last_turn[key]

    async def _run_in_turn(self, tp, record, previous: asyncio.Task | None) -> None:
        try:
            if previous is not None:  # the session's earlier turn first
                await asyncio.wait([previous])
            requestid.adopt_headers(record.headers)
            try:
                dispatch = events_pb2.TaskDispatch.FromString(record.value)
            except DecodeError:
                log.error("undecodable dispatch skipped", extra={"offset": record.offset})
                return
            await self.handle(dispatch, record.timestamp)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("dispatch not handled", extra={"offset": record.offset})
        finally:
            offsets = self.in_flight[tp]
            offsets.discard(record.offset)
            self.positions[tp] = min(offsets) if offsets else self.next_offset[tp]

    async def _commit(self) -> None:
        positions, self.positions = self.positions, {}
        try:
            await self.consumer.commit({tp: offset for tp, offset in positions.items()})
        except KafkaError as exc:  # e.g. the partition moved to another worker: it replays there
            log.warning("offset commit failed", extra={"error": type(exc).__name__})

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
            logins = Logins.open(self.vault, claim.business_id, claim.spec.end_user_id, claim.credentials)
            await run_task(self.pool, self.settings, claim.spec, report, self.indexer, self.browser_slots, logins)
        except Exception as exc:
            log.exception("task crashed", extra={"task_id": dispatch.task_id})
            await report.failed(f"worker error: {type(exc).__name__}", "internal_error")
        finally:
            beat.cancel()
        log.info("task finished", extra={"task_id": dispatch.task_id, "duration_ms": report.elapsed_ms()})
