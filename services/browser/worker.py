"""The pool member: consumes dispatches, claims each task, runs it, reports events."""
import asyncio
import contextlib
import logging
import time

import grpc
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.errors import KafkaError
from google.protobuf.message import DecodeError

from services.browser.agent.logins import Logins
from services.browser.chromium import BrowserLost, ChromiumPool
from services.browser.events import TaskReporter
from services.browser.offsets import Offsets
from services.browser.runner import run_task
from services.browser.settings import BrowserSettings
from services.common import requestid
from services.common.failures import ErrorCode, TaskFailure
from stablebrowse.events.v1 import events_pb2
from stablebrowse.scheduler.v1 import scheduler_pb2, scheduler_pb2_grpc

log = logging.getLogger(__name__)

REQUEUE_DELAY_S = 1.0  # a turn whose earlier turn is unfinished is queued again after this


class Draining(Exception):
    """The worker is stopping: a dispatch not yet claimed is left for another worker."""


class Worker:
    def __init__(self, consumer: AIOKafkaConsumer, producer: AIOKafkaProducer, events_topic: str,
                 scheduler: scheduler_pb2_grpc.SchedulerServiceStub, pool: ChromiumPool, settings: BrowserSettings,
                 indexer=None, dispatch_topic: str = ""):
        self.consumer = consumer
        self.producer = producer
        self.events_topic = events_topic
        self.dispatch_topic = dispatch_topic
        self.scheduler = scheduler
        self.indexer = indexer
        self.pool = pool
        self.settings = settings
        self.worker_id = settings.worker_id
        self.concurrency = settings.worker_concurrency
        self.vault = settings.vault()
        self.browser_slots = asyncio.Semaphore(self.concurrency)
        self.max_in_flight = max(8, 4 * self.concurrency)
        self.offsets = Offsets()
        self.last_turn: dict = {}     # session key -> the task handling its latest turn
        self.running: set[asyncio.Task] = set()
        self.active: dict[str, asyncio.Task] = {}  # task id -> the asyncio task running it here
        self.cancelled: set[str] = set()
        self.draining = False
        self.stopped_consuming = asyncio.Event()

    async def run_forever(self) -> None:
        """Keeps consuming while tasks run, so an indexed answer never waits behind a browser
        task: up to max_in_flight dispatches are handled at once (turns of one session one
        after another), at most `concurrency` of them in a browser. A partition's offset is
        committed up to its oldest dispatch still in hand, so a crash replays only those."""
        try:
            while not self.draining:
                room = self.max_in_flight - self.offsets.in_hand
                assigned = self.consumer.assignment()
                if room <= 0:
                    self.consumer.pause(*assigned)  # still polled, so the group keeps us
                else:
                    self.consumer.resume(*assigned)
                batches = await self.consumer.getmany(timeout_ms=500 if room > 0 else 100, max_records=max(room, 1))
                for tp, records in batches.items():
                    for record in records:
                        self._start(tp, record)
                await self._commit()
        finally:
            self.stopped_consuming.set()
            if not self.draining:
                for task in list(self.running):
                    task.cancel()

    async def drain(self, grace: float) -> None:
        """SIGTERM: take no more work, give in-flight tasks up to `grace` to finish, then hand
        the rest back to the scheduler at once (pending again, the attempt not counted).
        Dispatches not claimed yet stay uncommitted, so they replay on another worker."""
        self.draining = True
        log.info("draining", extra={"in_flight": len(self.running), "grace_s": grace})
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.stopped_consuming.wait(), 5)
        left = set(self.running)
        if left:
            _, left = await asyncio.wait(left, timeout=grace)
        for task in left:
            task.cancel()
        await asyncio.gather(*left, return_exceptions=True)
        await self._commit()
        log.info("drained", extra={"stopped_after_grace": len(left)})  # claimed ones were handed back

    def _start(self, tp, record) -> None:
        self.offsets.take(tp, record.offset)
        task = asyncio.create_task(self._run_in_turn(tp, record, self.last_turn.get(record.key)))
        self.last_turn[record.key] = task
        self.running.add(task)
        key = record.key
        task.add_done_callback(lambda t: self._forget(t, key))

    def _forget(self, task: asyncio.Task, key) -> None:
        self.running.discard(task)
        if self.last_turn.get(key) is task:
            del self.last_turn[key]

    async def _run_in_turn(self, tp, record, previous: asyncio.Task | None) -> None:
        """A dispatch is settled (its offset may be committed) once handled; one cancelled or
        left while draining stays in hand, so it replays elsewhere (a claim makes that safe)."""
        settled = False
        try:
            if previous is not None:  # the session's earlier turn first
                await asyncio.wait([previous])
            requestid.adopt_headers(record.headers)
            try:
                dispatch = events_pb2.TaskDispatch.FromString(record.value)
            except DecodeError:
                log.error("undecodable dispatch skipped", extra={"offset": record.offset})
                settled = True
                return
            await self.handle(dispatch, record.timestamp)
            settled = True
        except Draining:
            pass
        except Exception:
            settled = True
            log.exception("dispatch not handled", extra={"offset": record.offset})
        finally:
            if settled:
                self.offsets.settle(tp, record.offset)

    async def _commit(self) -> None:
        positions = self.offsets.to_commit(self.consumer.assignment())
        if not positions:
            return
        try:
            await self.consumer.commit(positions)
        except KafkaError as exc:  # e.g. the partition moved to another worker: it replays there
            log.warning("offset commit failed", extra={"error": type(exc).__name__})

    async def _claim(self, task_id: str) -> scheduler_pb2.ClaimTaskResponse | None:
        """The claim (retried by the channel's service config, services/common/runtime.py), or
        None when the scheduler stayed unreachable."""
        try:
            return await self.scheduler.ClaimTask(
                scheduler_pb2.ClaimTaskRequest(task_id=task_id, worker_id=self.worker_id), timeout=10
            )
        except grpc.aio.AioRpcError as exc:
            if exc.code() not in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED):
                raise
            log.warning("scheduler unreachable, dispatch queued again", extra={"task_id": task_id,
                                                                              "error": exc.code().name})
            return None

    def stop(self, task_id: str) -> None:
        """A caller cancelled the task (the scheduler has ended it): stop running it here. The
        browser context closes as the cancellation unwinds, which frees the slot."""
        running = self.active.get(task_id)
        if running is not None:
            self.cancelled.add(task_id)
            running.cancel()
            log.info("task cancelled by the caller, stopping", extra={"task_id": task_id})

    async def _heartbeat(self, report: TaskReporter) -> None:
        while True:
            await asyncio.sleep(self.settings.heartbeat_seconds)
            try:
                await report.heartbeat()
            except Exception:
                log.warning("heartbeat not sent", extra={"task_id": report.task_id})

    async def _queue_again(self, dispatch: events_pb2.TaskDispatch) -> None:
        """A dispatch that cannot be claimed yet goes back on the topic after REQUEUE_DELAY_S:
        behind its session's earlier turn (requeued after this one), or until the scheduler answers."""
        delay = REQUEUE_DELAY_S
        while True:
            await asyncio.sleep(delay)
            try:
                await self.producer.send_and_wait(self.dispatch_topic, dispatch.SerializeToString(),
                                                  key=dispatch.session_id.encode())
                break
            except KafkaError as exc:
                log.warning("dispatch not queued again, retrying", extra={"task_id": dispatch.task_id,
                                                                          "error": type(exc).__name__})
                delay = min(delay * 2, 10.0)
        log.info("dispatch queued again", extra={"task_id": dispatch.task_id})

    async def _hand_back(self, task_id: str, reason: str, count_attempt: bool) -> None:
        try:
            reply = await self.scheduler.ReleaseTask(scheduler_pb2.ReleaseTaskRequest(
                task_id=task_id, worker_id=self.worker_id, reason=reason, count_attempt=count_attempt), timeout=5)
            log.warning("task handed back", extra={"task_id": task_id, "reason": reason, "released": reply.released})
        except grpc.aio.AioRpcError as exc:  # its lease lapses and the reaper requeues it
            log.error("task not handed back", extra={"task_id": task_id, "reason": reason, "error": exc.code().name})

    async def handle(self, dispatch: events_pb2.TaskDispatch, queued_at_ms: int | None = None) -> None:
        if self.draining:
            raise Draining()
        consumed = time.time() * 1000
        claim = await self._claim(dispatch.task_id)
        if claim is None or claim.earlier_turn_unfinished:
            await self._queue_again(dispatch)
            return
        if not claim.claimed:
            log.info("task already claimed or ended, skipped", extra={"task_id": dispatch.task_id})
            return
        # One deadline for everything the task does from its claim (the scheduler's is later by a slack).
        deadline = asyncio.get_running_loop().time() + self.settings.task_timeout_ms / 1000
        report = TaskReporter(self.producer, self.events_topic, dispatch.task_id, self.worker_id, claim.claim_id)
        log.info("task started", extra={
            "task_id": dispatch.task_id, "claim_ms": round(time.time() * 1000 - consumed, 1),
            "queue_ms": round(consumed - queued_at_ms, 1) if queued_at_ms else None})
        beat = asyncio.create_task(self._heartbeat(report))
        current = asyncio.current_task()
        assert current is not None  # this runs in its own task
        self.active[dispatch.task_id] = current
        try:
            logins = Logins.open(self.vault, claim.business_id, claim.spec.end_user_id, claim.credentials)
            await run_task(self.pool, self.settings, claim.spec, report, self.indexer, self.browser_slots, logins,
                           deadline)
        except BrowserLost:
            await self._hand_back(dispatch.task_id, "browser_lost", count_attempt=True)
        except asyncio.CancelledError:
            if dispatch.task_id in self.cancelled:  # the caller cancelled it: stopped on purpose, the worker goes on
                current.uncancel()
                return
            if self.draining:
                await self._hand_back(dispatch.task_id, "worker stopping", count_attempt=False)
            raise
        except Exception as exc:
            log.exception("task crashed", extra={"task_id": dispatch.task_id})
            await report.failed(TaskFailure(ErrorCode.ERROR_CODE_INTERNAL_ERROR, f"worker error: {type(exc).__name__}"))
        finally:
            beat.cancel()
            self.active.pop(dispatch.task_id, None)
            self.cancelled.discard(dispatch.task_id)
        log.info("task finished", extra={"task_id": dispatch.task_id, "duration_ms": report.elapsed_ms()})
