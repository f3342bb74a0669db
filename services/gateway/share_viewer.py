"""The shareable task viewer (ShareService): what a share link opens, without an API key.

`/share/{token}` is a static page (services/gateway/viewer/) whose script reads the task from
`/share/{token}/task` and follows `/share/{token}/events`; both read exactly the task the
token names, of the business it names, through the scheduler's business-filtered reads.
Every answer carries a strict Content-Security-Policy (scripts, styles and images from this
origin only, no inline code) and no-referrer, so the token does not leak to visited sites."""
import html
import pathlib
import string

import grpc
from google.api import httpbody_pb2

from services.common.errors import NotFound
from services.gateway.event_hub import EventHub
from services.gateway.event_stream import TaskStream, last_event_id
from services.gateway.screenshots import fetch_screenshot, jpeg_body
from services.gateway.share_token import ExpiredToken, Grant, InvalidToken, ShareSigner
from stablebrowse.scheduler.v1 import scheduler_pb2, scheduler_pb2_grpc
from stablebrowse.share.v1 import share_pb2, share_pb2_grpc
from stablebrowse.tasks.v1 import tasks_pb2

FILES = pathlib.Path(__file__).resolve().parent / "viewer"
ASSETS = {"viewer.js": "text/javascript; charset=utf-8", "viewer.css": "text/css; charset=utf-8",
          "icon.svg": "image/svg+xml"}
HTML = "text/html; charset=utf-8"
CSP = "; ".join(["default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self'",
                 "connect-src 'self'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'"])
HEADERS = (("content-security-policy", CSP), ("referrer-policy", "no-referrer"),
           ("x-content-type-options", "nosniff"), ("x-frame-options", "DENY"),
           ("cache-control", "no-store"), ("x-robots-tag", "noindex"))
# What belongs to the business rather than to the task: never shown through a link.
PRIVATE_FIELDS = ("end_user_id", "session_id", "html_dump", "previous_context", "previous_error")


def shared_view(record: tasks_pb2.Task) -> tasks_pb2.Task:
    view = tasks_pb2.Task()
    view.CopyFrom(record)
    for name in PRIVATE_FIELDS:
        view.ClearField(name)
    return view


class SharedTaskStream(TaskStream):
    """The task's event stream, its records (status checks, the final `done`) as shared."""

    async def record(self) -> tasks_pb2.Task:
        return shared_view(await super().record())


class ShareServicer(share_pb2_grpc.ShareServiceServicer):
    def __init__(self, signer: ShareSigner | None, scheduler: scheduler_pb2_grpc.SchedulerServiceStub,
                 timeout: float, hub: EventHub, keepalive_s: float) -> None:
        self.signer, self.scheduler, self.timeout = signer, scheduler, timeout
        self.hub, self.keepalive_s = hub, keepalive_s
        self.page = (FILES / "index.html").read_bytes()
        self.link_page = string.Template((FILES / "link.html").read_text())
        self.assets = {name: (FILES / name).read_bytes() for name in ASSETS}

    def grant(self, token: str) -> Grant:
        """The token's grant, or NotFound (also when this deployment signs no links)."""
        try:
            if self.signer is None:
                raise InvalidToken("no share secret")
            return self.signer.verify(token)
        except ExpiredToken:
            raise NotFound("share link has expired") from None
        except InvalidToken:
            raise NotFound("share link is not valid") from None

    async def GetSharePage(self, request: share_pb2.ShareRequest,
                           context: grpc.aio.ServicerContext) -> httpbody_pb2.HttpBody:
        try:
            self.grant(request.token)
        except NotFound as exc:
            gone = "expired" in str(exc)  # Envoy's Lua filter applies x-http-status
            await context.send_initial_metadata(HEADERS + (("x-http-status", "410" if gone else "404"),))
            text = "This link has expired." if gone else "This link is not valid."
            return httpbody_pb2.HttpBody(content_type=HTML,
                                         data=self.link_page.substitute(message=html.escape(text)).encode())
        await context.send_initial_metadata(HEADERS)
        return httpbody_pb2.HttpBody(content_type=HTML, data=self.page)

    async def GetSharedTask(self, request: share_pb2.ShareRequest,
                            context: grpc.aio.ServicerContext) -> tasks_pb2.Task:
        grant = self.grant(request.token)
        record = await self.scheduler.GetTask(
            scheduler_pb2.GetTaskRequest(business_id=grant.business_id, task_id=grant.task_id), timeout=self.timeout)
        await context.send_initial_metadata(HEADERS)
        return shared_view(record)

    async def StreamSharedTaskEvents(self, request: share_pb2.ShareRequest, context: grpc.aio.ServicerContext):
        grant = self.grant(request.token)
        stream = SharedTaskStream(self.hub, self.scheduler, grant.business_id, grant.task_id,
                                  last_event_id(context.invocation_metadata()), self.keepalive_s, self.timeout)
        await context.send_initial_metadata(HEADERS)
        async for chunk in stream.events():
            yield chunk

    async def GetSharedStepScreenshot(self, request: share_pb2.SharedStepScreenshotRequest,
                                      context: grpc.aio.ServicerContext) -> httpbody_pb2.HttpBody:
        grant = self.grant(request.token)
        body = jpeg_body(await fetch_screenshot(self.scheduler, grant.business_id, grant.task_id, request.n,
                                                self.timeout))
        await context.send_initial_metadata(HEADERS)
        return body

    async def GetViewerAsset(self, request: share_pb2.ViewerAssetRequest,
                             context: grpc.aio.ServicerContext) -> httpbody_pb2.HttpBody:
        if request.name not in self.assets:
            raise NotFound("name: no such viewer file")
        await context.send_initial_metadata(HEADERS)
        return httpbody_pb2.HttpBody(content_type=ASSETS[request.name], data=self.assets[request.name])
