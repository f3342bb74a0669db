"""Publishes a task's step and outcome events on Kafka the moment they happen."""
import asyncio
import time

from aiokafka import AIOKafkaProducer
from google.protobuf.timestamp_pb2 import Timestamp

from services.browser.agent.grounding import Ungrounded
from services.browser.screenshots import Camera
from services.common import metrics, requestid
from services.common.failures import TaskFailure, code_name
from stablebrowse.events.v1 import events_pb2
from stablebrowse.tasks.v1 import tasks_pb2


class TaskReporter:
    """Numbers steps, remembers visited URLs, and sends events keyed by task id (kept in order)."""

    def __init__(self, producer: AIOKafkaProducer, topic: str, task_id: str, worker_id: str, claim_id: str = ""):
        self.producer = producer
        self.topic = topic
        self.task_id = task_id
        self.worker_id = worker_id
        self.claim_id = claim_id  # this run of the task: the projection applies only its events
        self.steps = 0
        self.visited: list[str] = []
        self.started = time.monotonic()
        self._in_flight: list[asyncio.Future] = []
        self.path = "browser"  # "indexed" once the indexer answered (fastpath.report_answer)
        self.clock = metrics.StepClock()
        self.camera: Camera | None = None  # set once the task has a page: each step then carries a JPEG
        self._shooting: asyncio.Future | None = None  # the last step's screenshot and event, still on their way
        self.replaying = False  # steps now are replayed from a recipe (services/browser/replay.py)
        self.replay: events_pb2.ReplayOutcome | None = None  # the task was given a recipe: what became of it
        self.recipe: tasks_pb2.Recipe | None = None  # recorded from this grounded run

    def visit(self, url: str) -> None:
        if url and url not in self.visited:
            self.visited.append(url)

    def elapsed_ms(self) -> int:
        return int((time.monotonic() - self.started) * 1000)

    async def _send(self, final: bool = False, screenshot: bytes = b"", **kind) -> None:
        """Hands the event to the producer at once (same key, so order is kept); only an
        outcome waits until every event of the task is acknowledged."""
        at = Timestamp()
        at.GetCurrentTime()
        event = events_pb2.TaskEvent(task_id=self.task_id, worker_id=self.worker_id, claim_id=self.claim_id, at=at,
                                     screenshot_jpeg=screenshot, **kind)
        delivery = await self.producer.send(self.topic, event.SerializeToString(), key=self.task_id.encode(),
                                            headers=requestid.kafka_headers())
        self._in_flight = [f for f in self._in_flight if not f.done()] + [delivery]
        if final:
            await asyncio.gather(*self._in_flight)

    async def step(self, type_: str, msg: str, success: bool = True) -> None:
        """With a camera, the step's screenshot is taken while the agent goes on (it reads the
        page, asks the model); the agent calls `pictured` before it changes the page."""
        self.steps += 1
        self.clock.step(type_)
        summary = tasks_pb2.StepSummary(n=self.steps, type=type_, msg=msg, success=success,
                                        replayed=self.replaying or None)
        summary.at.GetCurrentTime()  # when it happened, not when its screenshot is ready
        if self.camera is None:
            await self._send(step=summary)
            return
        await self.pictured()  # the previous step's event goes first: a task's events stay in order
        self._shooting = asyncio.ensure_future(self._send_pictured(self.camera, summary))

    async def _send_pictured(self, camera: Camera, summary: tasks_pb2.StepSummary) -> None:
        jpeg = await camera.shot()
        summary.has_screenshot = bool(jpeg)
        await self._send(step=summary, screenshot=jpeg)

    async def pictured(self) -> None:
        """Returns once the last step's screenshot is taken and its event handed to the producer.
        Shielded: a task cancelled meanwhile (its deadline) still sends that step."""
        if self._shooting is not None:
            await asyncio.shield(self._shooting)
            self._shooting = None

    async def shot_taken(self) -> None:
        """Returns once the last step's screenshot is taken (as `pictured`, but leaves that wait to
        the agent: for work that should not compete with the shot)."""
        shooting = self._shooting
        if shooting is not None:
            await asyncio.shield(shooting)

    async def heartbeat(self) -> None:
        await self._send(heartbeat=events_pb2.Heartbeat())

    async def completed(self, result: str, structured_json: str = "", html_dump: str | None = None, usage=None,
                        steps: tuple[tuple[str, str], ...] = (),
                        verification: tasks_pb2.Verification | None = None) -> None:
        """`steps` (type, msg) happened just now and travel with the outcome in one event."""
        await self.pictured()
        bundled = []
        for type_, msg in steps:
            self.steps += 1
            bundled.append(tasks_pb2.StepSummary(n=self.steps, type=type_, msg=msg, success=True))
            bundled[-1].at.GetCurrentTime()
        await self._send(final=True, completed=events_pb2.TaskCompleted(
            result=result, structured_content_json=structured_json, html_dump=html_dump,
            total_steps=self.steps, duration_ms=self.elapsed_ms(), visited_urls=self.visited, usage=_usage(usage),
            steps=bundled, verification=verification, recipe=self.recipe, replay=self.replay,
        ))
        metrics.task_ended(self.path, "completed", "", time.monotonic() - self.started)

    async def failed(self, failure: TaskFailure, html_dump: str | None = None, usage=None) -> None:
        """A failure carrying a refused answer (Ungrounded) keeps that answer on the record as given."""
        await self.pictured()
        failed = events_pb2.TaskFailed(
            error=str(failure), code=failure.code, html_dump=html_dump,
            total_steps=self.steps, duration_ms=self.elapsed_ms(), visited_urls=self.visited, usage=_usage(usage),
            replay=self.replay,
        )
        if isinstance(failure, Ungrounded):
            failed.result = failure.result
            failed.structured_content_json = failure.structured_json
            failed.verification.CopyFrom(failure.verification)
        await self._send(final=True, failed=failed)
        metrics.task_ended(self.path, "failed", code_name(failure.code), time.monotonic() - self.started)


def _usage(usage) -> tasks_pb2.Usage | None:
    if usage is None:
        return None
    return tasks_pb2.Usage(llm_calls=usage.llm_calls, prompt_tokens=usage.prompt_tokens,
                           completion_tokens=usage.completion_tokens)
