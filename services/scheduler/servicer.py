"""SchedulerService: sessions, task documents, dispatch, claims."""
import logging
from collections.abc import Awaitable, Callable

import grpc
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError

from services.common import mongo, requestid
from services.common.errors import NotFound, Unavailable
from services.common.failures import ErrorCode, TaskFailure
from services.common.records import task_record, timestamp
from services.scheduler import announce, idempotency, paging, quotas, recipes, records, screenshots, sessions, tasks
from services.scheduler.fastpath import SubmitAnswers
from stablebrowse.events.v1 import events_pb2
from stablebrowse.scheduler.v1 import scheduler_pb2, scheduler_pb2_grpc
from stablebrowse.tasks.v1 import tasks_pb2

log = logging.getLogger(__name__)

TASK_NOT_FOUND = "task not found"


async def _no_pause(task_id: str) -> None:
    return None


class SchedulerServicer(scheduler_pb2_grpc.SchedulerServiceServicer):
    def __init__(self, db, producer: AIOKafkaProducer, dispatch_topic: str, task_deadline_seconds: float = 195.0,
                 after_insert: Callable[[str], Awaitable[None]] = _no_pause, control_topic: str = "",
                 events_topic: str = "", answers: SubmitAnswers | None = None, recipe_max_divergences: int = 3):
        self.db = db
        self.producer = producer
        self.dispatch_topic = dispatch_topic
        self.task_deadline_seconds = task_deadline_seconds
        self.after_insert = after_insert  # fault injection in tests: a submission slow after its insert
        self.control_topic = control_topic
        self.events_topic = events_topic  # where outcomes decided here are announced
        self.answers = answers  # indexed answers at submit; None: every task is queued
        self.recipe_max_divergences = recipe_max_divergences  # a recipe diverging this often in a row is retired

    @idempotency.once
    async def SubmitTask(
        self, request: scheduler_pb2.SubmitTaskRequest, context: grpc.aio.ServicerContext
    ) -> scheduler_pb2.SubmitTaskResponse:
        if request.HasField("session_id"):
            await sessions.check_session(self.db, request.business_id, request.end_user_id, request.session_id)
        business = await quotas.admit(self.db, request.business_id)
        doc = None
        try:
            session_id = request.session_id or await sessions.mint_session(
                self.db, request.business_id, request.end_user_id
            )
            schema = records.schema_json(request.schema) if request.HasField("schema") else None
            doc = tasks.new_task_doc(request.business_id, session_id, request, schema,
                                     browser_only=business.get("fast_path") is False,
                                     replay=not request.no_replay and business.get("replay") is not False)
            if not request.session_id:
                doc["first_turn"] = True  # a session minted just now has no earlier turns to look up
            if self.answers is None or not await self.answers.answer(doc, self.after_insert):
                await tasks.insert(self.db, doc)
                await self.after_insert(doc["_id"])
                await self.dispatch(doc)
        except BaseException:  # an error, or the caller's deadline (cancellation), after admission
            if doc is None:
                await quotas.release_slot(self.db, request.business_id)
            else:
                await tasks.withdraw(self.db, doc["_id"], request.business_id)
            raise
        log.info("task accepted", extra={"task_id": doc["_id"], "business_id": request.business_id})
        return scheduler_pb2.SubmitTaskResponse(
            task_id=doc["_id"], session_id=session_id, status=doc["status"],
            created_at=timestamp(doc["created_at"]),
        )

    async def dispatch(self, doc: dict) -> None:
        """Queues the task for the browser pool, keyed by session so turns stay in order."""
        message = events_pb2.TaskDispatch(task_id=doc["_id"], business_id=doc["business_id"], session_id=doc["session_id"],
                                          attempt=doc.get("attempts", 0) + 1)
        try:
            await self.producer.send_and_wait(
                self.dispatch_topic, message.SerializeToString(), key=doc["session_id"].encode(),
                headers=requestid.kafka_headers())
        except KafkaError as exc:
            log.error("dispatch failed", extra={"task_id": doc["_id"], "error": type(exc).__name__})
            # Not dispatched means not accepted: SubmitTask withdraws the task (no task is left pending forever).
            raise Unavailable("task queue unavailable, nothing was created; retry later") from None

    async def redispatch(self, doc: dict) -> None:
        """Dispatches a task put back to pending; `needs_dispatch` is cleared only once it is
        on Kafka, so the reaper retries a failed one on its next pass."""
        await self.dispatch(doc)
        await tasks.dispatched(self.db, doc["_id"])

    async def GetTask(self, request: scheduler_pb2.GetTaskRequest, context: grpc.aio.ServicerContext) -> tasks_pb2.Task:
        doc = await tasks.get(self.db, request.business_id, request.task_id)
        if doc is None:
            raise NotFound(TASK_NOT_FOUND)
        return task_record(doc)

    async def ListTasks(
        self, request: scheduler_pb2.ListTasksRequest, context: grpc.aio.ServicerContext
    ) -> tasks_pb2.ListTasksResponse:
        query = request.query
        size = query.page_size or 20
        after = paging.decode(query.page_token) if query.page_token else None
        docs = await tasks.page(self.db, request.business_id, query, size, after)
        reply = tasks_pb2.ListTasksResponse(tasks=[task_record(d) for d in docs[:size]])
        if len(docs) > size:
            last = docs[size - 1]
            reply.next_page_token = paging.encode(last["created_at"], last["_id"])
        return reply

    async def ClaimTask(
        self, request: scheduler_pb2.ClaimTaskRequest, context: grpc.aio.ServicerContext
    ) -> scheduler_pb2.ClaimTaskResponse:
        if await tasks.earlier_turn_unfinished(self.db, request.task_id):
            # A requeued earlier turn runs first, so this turn sees its outcome in previousContext.
            return scheduler_pb2.ClaimTaskResponse(claimed=False, earlier_turn_unfinished=True)
        doc = await tasks.claim(self.db, request.task_id, request.worker_id, self.task_deadline_seconds)
        if doc is None:
            return scheduler_pb2.ClaimTaskResponse(claimed=False)
        earlier = [] if doc.get("first_turn") else await sessions.previous_turns(
            self.db, doc["business_id"], doc["session_id"], doc["created_at"])
        doc["previous_context"], doc["previous_error"] = sessions.summarize_turns(earlier)
        if doc["previous_context"] is not None or doc["previous_error"] is not None:  # a first turn has none
            await tasks.set_context(self.db, doc["_id"], doc["previous_context"], doc["previous_error"])
        sealed = await records.sealed_credentials(self.db, doc["business_id"], doc["end_user_id"])
        log.info("task claimed", extra={"task_id": doc["_id"], "worker_id": request.worker_id})
        spec = records.task_spec(doc)
        recipe = await recipes.match(self.db, doc, self.recipe_max_divergences)
        if recipe is not None:
            spec.recipe.CopyFrom(recipe)
        return scheduler_pb2.ClaimTaskResponse(claimed=True, spec=spec, business_id=doc["business_id"],
                                               credentials=sealed, claim_id=doc["claim_id"])

    async def ListRecipes(
        self, request: scheduler_pb2.ListRecipesRequest, context: grpc.aio.ServicerContext
    ) -> tasks_pb2.ListRecipesResponse:
        return tasks_pb2.ListRecipesResponse(
            recipes=await recipes.listed(self.db, request.business_id, self.recipe_max_divergences))

    async def DeleteRecipe(
        self, request: scheduler_pb2.DeleteRecipeRequest, context: grpc.aio.ServicerContext
    ) -> tasks_pb2.DeleteRecipeResponse:
        if not await recipes.delete(self.db, request.business_id, request.recipe_id):
            raise NotFound("recipe not found")  # another business's reads as unknown
        return tasks_pb2.DeleteRecipeResponse(recipe_id=request.recipe_id)

    async def CancelTask(
        self, request: scheduler_pb2.CancelTaskRequest, context: grpc.aio.ServicerContext
    ) -> scheduler_pb2.CancelTaskResponse:
        doc, was = await tasks.cancel(self.db, request.business_id, request.task_id)
        if doc is None:
            raise NotFound(TASK_NOT_FOUND)
        if was == tasks.RUNNING:
            await self.stop_worker(doc["_id"])
        if was is not None:
            await self.announce(doc["_id"])
        log.info("task cancel", extra={"task_id": doc["_id"], "from_status": was, "status": doc["status"]})
        return scheduler_pb2.CancelTaskResponse(task=task_record(doc), cancelled=was is not None)

    async def stop_worker(self, task_id: str) -> None:
        """Tells the worker running the task to stop (the task has already ended here)."""
        message = events_pb2.TaskControl(task_id=task_id, cancel=True)
        try:
            await self.producer.send_and_wait(self.control_topic, message.SerializeToString(), key=task_id.encode())
        except KafkaError as exc:
            # The task has ended already: its worker's later events are not applied, and the
            # worker stops by the task's own timeout at the latest.
            log.warning("stop message not sent", extra={"task_id": task_id, "error": type(exc).__name__})

    async def announce(self, task_id: str) -> None:
        if self.events_topic:  # else the reaper's next pass sends it
            await announce.announce(self.db, self.producer, self.events_topic, task_id)

    async def GetScreenshot(
        self, request: scheduler_pb2.GetScreenshotRequest, context: grpc.aio.ServicerContext
    ) -> scheduler_pb2.GetScreenshotResponse:
        jpeg = await screenshots.fetch(self.db, request.business_id, request.task_id, request.step)
        if jpeg is not None:
            return scheduler_pb2.GetScreenshotResponse(jpeg=jpeg)
        task = {"_id": request.task_id, "business_id": request.business_id}
        if await self.db[mongo.TASKS].find_one(task, {"_id": 1}) is None:
            raise NotFound(TASK_NOT_FOUND)  # another business's task reads as unknown
        raise NotFound(f"step {request.step} of this task has no screenshot")

    async def ReleaseTask(
        self, request: scheduler_pb2.ReleaseTaskRequest, context: grpc.aio.ServicerContext
    ) -> scheduler_pb2.ReleaseTaskResponse:
        query = {"_id": request.task_id, "worker_id": request.worker_id}
        if request.count_attempt:  # its browser died: counted, so a page that kills it runs at most twice
            task = await self.db[mongo.TASKS].find_one({**query, "status": tasks.RUNNING}, {"attempts": 1, "business_id": 1})
            if task is not None and task.get("attempts", 1) >= tasks.MAX_ATTEMPTS:
                lost = TaskFailure(ErrorCode.ERROR_CODE_WORKER_LOST, f"lost twice: {request.reason}")
                ended = await tasks.fail(self.db, task, tasks.RUNNING, lost)
                if ended:
                    await self.announce(request.task_id)
                return scheduler_pb2.ReleaseTaskResponse(released=ended)
        doc = await tasks.hand_back(self.db, query, count_attempt=request.count_attempt)
        if doc is None:
            return scheduler_pb2.ReleaseTaskResponse(released=False)
        log.info("task handed back", extra={"task_id": doc["_id"], "worker_id": request.worker_id,
                                            "reason": request.reason})
        try:
            await self.redispatch(doc)
        except Unavailable:
            pass  # still marked needs_dispatch: the reaper dispatches it on its next pass
        return scheduler_pb2.ReleaseTaskResponse(released=True)
