"""SchedulerService: sessions, task documents, dispatch, claims."""
import logging

import grpc
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError
from stablebrowse.events.v1 import events_pb2
from stablebrowse.scheduler.v1 import scheduler_pb2, scheduler_pb2_grpc
from stablebrowse.tasks.v1 import tasks_pb2

from services.common import requestid
from services.common.errors import NotFound, Unavailable
from services.scheduler import paging, quotas, records, sessions, tasks

log = logging.getLogger(__name__)

TASK_NOT_FOUND = "task not found"


class SchedulerServicer(scheduler_pb2_grpc.SchedulerServiceServicer):
    def __init__(self, db, producer: AIOKafkaProducer, dispatch_topic: str):
        self.db = db
        self.producer = producer
        self.dispatch_topic = dispatch_topic

    async def SubmitTask(
        self, request: scheduler_pb2.SubmitTaskRequest, context: grpc.aio.ServicerContext
    ) -> scheduler_pb2.SubmitTaskResponse:
        if request.HasField("session_id"):
            await sessions.check_session(self.db, request.business_id, request.end_user_id, request.session_id)
        business = await quotas.admit(self.db, request.business_id)
        try:
            session_id = request.session_id or await sessions.mint_session(
                self.db, request.business_id, request.end_user_id
            )
            schema = records.schema_json(request.schema) if request.HasField("schema") else None
            doc = tasks.new_task_doc(request.business_id, session_id, request, schema,
                                     browser_only=business.get("fast_path") is False)
            if not request.session_id:
                doc["first_turn"] = True  # a session minted just now has no earlier turns to look up
            await tasks.insert(self.db, doc)
            await self.dispatch(doc, on_failure=tasks.delete)
        except BaseException:
            await quotas.release_slot(self.db, request.business_id)
            raise
        log.info("task accepted", extra={"task_id": doc["_id"], "business_id": request.business_id})
        return scheduler_pb2.SubmitTaskResponse(
            task_id=doc["_id"], session_id=session_id, status=doc["status"],
            created_at=records.timestamp(doc["created_at"]),
        )

    async def dispatch(self, doc: dict, on_failure=None) -> None:
        """Queues the task for the browser pool, keyed by session so turns stay in order."""
        message = events_pb2.TaskDispatch(task_id=doc["_id"], business_id=doc["business_id"], session_id=doc["session_id"],
                                          attempt=doc.get("attempts", 0) + 1)
        try:
            await self.producer.send_and_wait(
                self.dispatch_topic, message.SerializeToString(), key=doc["session_id"].encode(),
                headers=requestid.kafka_headers())
        except KafkaError as exc:
            log.error("dispatch failed", extra={"task_id": doc["_id"], "error": type(exc).__name__})
            if on_failure is not None:
                # Not dispatched means not accepted: remove it so no task is left pending forever.
                await on_failure(self.db, doc["_id"])
            raise Unavailable("task queue unavailable, nothing was created; retry later") from None

    async def GetTask(self, request: scheduler_pb2.GetTaskRequest, context: grpc.aio.ServicerContext) -> tasks_pb2.Task:
        doc = await tasks.get(self.db, request.business_id, request.task_id)
        if doc is None:
            raise NotFound(TASK_NOT_FOUND)
        return records.task_record(doc)

    async def ListTasks(
        self, request: scheduler_pb2.ListTasksRequest, context: grpc.aio.ServicerContext
    ) -> tasks_pb2.ListTasksResponse:
        query = request.query
        size = query.page_size or 20
        after = paging.decode(query.page_token) if query.page_token else None
        docs = await tasks.page(self.db, request.business_id, query, size, after)
        reply = tasks_pb2.ListTasksResponse(tasks=[records.task_record(d) for d in docs[:size]])
        if len(docs) > size:
            last = docs[size - 1]
            reply.next_page_token = paging.encode(last["created_at"], last["_id"])
        return reply

    async def ClaimTask(
        self, request: scheduler_pb2.ClaimTaskRequest, context: grpc.aio.ServicerContext
    ) -> scheduler_pb2.ClaimTaskResponse:
        doc = await tasks.claim(self.db, request.task_id, request.worker_id)
        if doc is None:
            return scheduler_pb2.ClaimTaskResponse(claimed=False)
        earlier = [] if doc.get("first_turn") else await sessions.previous_turns(
            self.db, doc["business_id"], doc["session_id"], doc["created_at"])
        doc["previous_context"], doc["previous_error"] = sessions.summarize_turns(earlier)
        if doc["previous_context"] is not None or doc["previous_error"] is not None:  # a first turn has none
            await tasks.set_context(self.db, doc["_id"], doc["previous_context"], doc["previous_error"])
        sealed = await records.sealed_credentials(self.db, doc["business_id"], doc["end_user_id"])
        log.info("task claimed", extra={"task_id": doc["_id"], "worker_id": request.worker_id})
        return scheduler_pb2.ClaimTaskResponse(claimed=True, spec=records.task_spec(doc), business_id=doc["business_id"],
                                               credentials=sealed)
