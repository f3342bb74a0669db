"""Public TaskService: authenticate, validate, hand over to the scheduler."""
import grpc
from google.api import httpbody_pb2

from services.gateway import idempotency, share_links
from services.gateway.auth import Authenticator
from services.gateway.event_hub import EventHub
from services.gateway.event_stream import TaskStream, last_event_id
from services.gateway.screenshots import fetch_screenshot, jpeg_body
from services.gateway.validation import validate_create, validate_list, validate_replay, validate_require_grounded
from stablebrowse.scheduler.v1 import scheduler_pb2, scheduler_pb2_grpc
from stablebrowse.tasks.v1 import tasks_pb2, tasks_pb2_grpc

# Response header on a cancel that changed nothing.
CANCEL_NOTE = "stablebrowse-cancel"


class TaskServicer(tasks_pb2_grpc.TaskServiceServicer):
    def __init__(self, auth: Authenticator, scheduler: scheduler_pb2_grpc.SchedulerServiceStub, timeout: float,
                 hub: EventHub | None = None, keepalive_s: float = 15.0, links: share_links.ShareLinks | None = None):
        self.auth = auth
        self.scheduler = scheduler
        self.timeout = timeout
        self.hub = hub
        self.keepalive_s = keepalive_s
        self.links = links or share_links.ShareLinks(None, "")

    async def CreateTask(
        self, request: tasks_pb2.CreateTaskRequest, context: grpc.aio.ServicerContext
    ) -> tasks_pb2.CreateTaskResponse:
        business_id = await self.auth.business_of(context.invocation_metadata())
        max_steps = validate_create(request)
        require_grounded = validate_require_grounded(request)
        replay = validate_replay(request)
        key = idempotency.read_key(context.invocation_metadata())
        submitted = await self.scheduler.SubmitTask(
            idempotency.with_key(scheduler_pb2.SubmitTaskRequest(
                business_id=business_id,
                end_user_id=request.end_user_id,
                task=request.task,
                session_id=request.session_id if request.HasField("session_id") else None,
                start_url=request.start_url if request.HasField("start_url") else None,
                schema=request.schema if request.HasField("schema") else None,
                max_steps=max_steps,
                include_html_dump=request.include_html_dump,
                require_grounded=require_grounded,
                no_replay=not replay,
            ), key),
            timeout=self.timeout,
        )
        await context.send_initial_metadata(idempotency.REPLAYED if submitted.replayed else idempotency.CREATED)
        return tasks_pb2.CreateTaskResponse(
            task_id=submitted.task_id,
            session_id=submitted.session_id,
            status=submitted.status,
            created_at=submitted.created_at,
        )

    async def GetTask(self, request: tasks_pb2.GetTaskRequest, context: grpc.aio.ServicerContext) -> tasks_pb2.Task:
        business_id = await self.auth.business_of(context.invocation_metadata())
        return await self.scheduler.GetTask(
            scheduler_pb2.GetTaskRequest(business_id=business_id, task_id=request.task_id), timeout=self.timeout
        )

    async def ListTasks(
        self, request: tasks_pb2.ListTasksRequest, context: grpc.aio.ServicerContext
    ) -> tasks_pb2.ListTasksResponse:
        business_id = await self.auth.business_of(context.invocation_metadata())
        query = tasks_pb2.ListTasksRequest()
        query.CopyFrom(request)
        query.page_size = validate_list(request)
        return await self.scheduler.ListTasks(
            scheduler_pb2.ListTasksRequest(business_id=business_id, query=query), timeout=self.timeout
        )

    async def CancelTask(self, request: tasks_pb2.CancelTaskRequest, context: grpc.aio.ServicerContext) -> tasks_pb2.Task:
        business_id = await self.auth.business_of(context.invocation_metadata())
        reply = await self.scheduler.CancelTask(
            scheduler_pb2.CancelTaskRequest(business_id=business_id, task_id=request.task_id), timeout=self.timeout)
        if not reply.cancelled:  # it had ended already: unchanged, and the response says so
            await context.send_initial_metadata(((CANCEL_NOTE, f"task already {reply.task.status}; nothing to cancel"),))
        return reply.task

    async def GetStepScreenshot(
        self, request: tasks_pb2.GetStepScreenshotRequest, context: grpc.aio.ServicerContext
    ) -> httpbody_pb2.HttpBody:
        business_id = await self.auth.business_of(context.invocation_metadata())
        return jpeg_body(await fetch_screenshot(self.scheduler, business_id, request.task_id, request.n, self.timeout))

    async def StreamTaskEvents(self, request: tasks_pb2.StreamTaskEventsRequest, context: grpc.aio.ServicerContext):
        """Server-Sent Events of one task."""
        business_id = await self.auth.business_of(context.invocation_metadata())
        assert self.hub is not None  # the gateway's server always passes one
        stream = TaskStream(self.hub, self.scheduler, business_id, request.task_id,
                            last_event_id(context.invocation_metadata()), self.keepalive_s, self.timeout)
        async for chunk in stream.events():
            yield chunk

    async def ShareTask(
        self, request: tasks_pb2.ShareTaskRequest, context: grpc.aio.ServicerContext
    ) -> tasks_pb2.ShareTaskResponse:
        business_id = await self.auth.business_of(context.invocation_metadata())
        return await self.links.create(self.scheduler, business_id, request, context.invocation_metadata(), self.timeout)

    async def ListRecipes(
        self, request: tasks_pb2.ListRecipesRequest, context: grpc.aio.ServicerContext
    ) -> tasks_pb2.ListRecipesResponse:
        business_id = await self.auth.business_of(context.invocation_metadata())
        return await self.scheduler.ListRecipes(scheduler_pb2.ListRecipesRequest(business_id=business_id),
                                                timeout=self.timeout)

    async def DeleteRecipe(
        self, request: tasks_pb2.DeleteRecipeRequest, context: grpc.aio.ServicerContext
    ) -> tasks_pb2.DeleteRecipeResponse:
        business_id = await self.auth.business_of(context.invocation_metadata())
        return await self.scheduler.DeleteRecipe(
            scheduler_pb2.DeleteRecipeRequest(business_id=business_id, recipe_id=request.recipe_id), timeout=self.timeout)
