"""`stablebrowse mcp`: a Model Context Protocol server (stdio, or streamable HTTP with --http PORT)
that lets an MCP client (an IDE, a desktop assistant, an agent) run browser tasks.

Tools: browse (run a task, progress notifications per step), get_task, list_tasks, cancel_task.
Configuration as for the CLI: STABLEBROWSE_API_KEY, STABLEBROWSE_BASE_URL, STABLEBROWSE_END_USER_ID.
A tool that fails answers isError with {"errorCode", "message"}; never a stack trace."""
from __future__ import annotations

import json
import os
from typing import Any

from mcp.server.mcpserver import Context, MCPServer
from mcp.types import CallToolResult, TextContent

from ._client import AsyncClient
from ._errors import APIConnectionError, APIStatusError, StablebrowseError, TaskTimeoutError
from ._models import StepSummary, Task

DEFAULT_END_USER = "mcp"
BROWSE_TIMEOUT_S = 300.0
TASK_NOT_FOUND = "task not found"  # the scheduler's words; any other 404 is a route this server lacks
_STATUS_CODES = {400: "invalid_argument", 401: "unauthenticated", 403: "permission_denied", 404: "not_found",
                 429: "rate_limited", 503: "unavailable"}


class ToolFailure(StablebrowseError):
    """A tool's answer when it could not do what was asked: an error code and a safe message."""

    def __init__(self, error_code: str, message: str, **extra: Any):
        super().__init__(message)
        self.error_code = error_code
        self.extra = extra


def ok(data: dict, text: str | None = None) -> CallToolResult:
    return CallToolResult(content=[TextContent(type="text", text=text if text is not None else json.dumps(data))],
                          structured_content=data)


def failure(error_code: str, message: str, **extra: Any) -> CallToolResult:
    data = {"errorCode": error_code, "message": message, **extra}
    return CallToolResult(content=[TextContent(type="text", text=f"{error_code}: {message}")],
                          structured_content=data, is_error=True)


def api_failure(exc: StablebrowseError) -> CallToolResult:
    """Any SDK error as a tool error: the API's message, a code by status; no traceback."""
    if isinstance(exc, ToolFailure):
        return failure(exc.error_code, str(exc), **exc.extra)
    if isinstance(exc, APIStatusError):
        return failure(_STATUS_CODES.get(exc.status_code, f"http_{exc.status_code}"), exc.message)
    if isinstance(exc, APIConnectionError):
        return failure("connection_error", str(exc))
    return failure("error", str(exc))


def browse_answer(task: Task) -> CallToolResult:
    data = {"taskId": task.task_id, "sessionId": task.session_id, "status": task.status, "result": task.result,
            "structuredContent": task.structured_content}
    if task.failed:
        return failure(task.error_code or "failed", task.error or "the task failed", taskId=task.task_id,
                       sessionId=task.session_id)
    text = task.result or ""
    if task.structured_content is not None:
        text += ("\n" if text else "") + json.dumps(task.structured_content, ensure_ascii=False)
    return ok(data, text)


async def cancel(client: AsyncClient, task_id: str) -> dict:
    """tasks.cancel. A 404 that is not the scheduler's "task not found" comes from the proxy (no
    such route): this server cannot cancel yet."""
    try:
        return (await client.tasks.cancel(task_id)).to_dict()
    except APIStatusError as exc:
        message = exc.body.get("message") if isinstance(exc.body, dict) else None
        if exc.status_code == 404 and message != TASK_NOT_FOUND or exc.status_code in (405, 501):
            raise ToolFailure("cancel_unavailable", "cancel is not available on this server") from None
        raise


def build(client: AsyncClient, end_user_id: str) -> MCPServer:
    server = MCPServer("stablebrowse", instructions="Run natural-language tasks in a real browser and read "
                       "their answers. browse waits for the answer; get_task reads a task later.")

    @server.tool()
    async def browse(task: str, ctx: Context, startUrl: str | None = None, schema: dict | None = None,
                     sessionId: str | None = None, maxSteps: int | None = None) -> CallToolResult:
        """Runs a browser task and returns its answer (text, and JSON matching `schema` when given).
        startUrl skips URL discovery; sessionId continues an earlier task's conversation."""
        async def on_step(step: StepSummary) -> None:
            await ctx.report_progress(step.n, maxSteps, f"{step.type}: {step.msg}")

        try:
            done = await client.tasks.run(task, end_user_id=end_user_id, session_id=sessionId, start_url=startUrl,
                                          schema=schema, max_steps=maxSteps, timeout=BROWSE_TIMEOUT_S,
                                          on_step=on_step)
        except TaskTimeoutError as exc:
            return failure("wait_timeout", f"{exc} (read it later with get_task)", taskId=exc.task.task_id)
        except StablebrowseError as exc:
            return api_failure(exc)
        return browse_answer(done)

    @server.tool()
    async def get_task(taskId: str) -> CallToolResult:
        """The task record: status, steps, answer (result, structured_content) or error."""
        try:
            return ok((await client.tasks.get(taskId)).to_dict())
        except StablebrowseError as exc:
            return api_failure(exc)

    @server.tool()
    async def list_tasks(sessionId: str | None = None, endUserId: str | None = None, pageSize: int | None = None,
                         pageToken: str | None = None) -> CallToolResult:
        """Tasks, newest first; nextPageToken when there are more."""
        try:
            page = await client.tasks.list(session_id=sessionId, end_user_id=endUserId, page_size=pageSize,
                                           page_token=pageToken)
        except StablebrowseError as exc:
            return api_failure(exc)
        data: dict[str, Any] = {"tasks": [t.to_dict() for t in page]}
        if page.next_page_token:
            data["nextPageToken"] = page.next_page_token
        return ok(data)

    @server.tool()
    async def cancel_task(taskId: str) -> CallToolResult:
        """Cancels a pending or running task; returns its record."""
        try:
            return ok(await cancel(client, taskId))
        except StablebrowseError as exc:
            return api_failure(exc)

    return server


async def serve(http_port: int | None, host: str = "127.0.0.1", api_key: str | None = None,
                base_url: str | None = None) -> None:
    end_user_id = os.environ.get("STABLEBROWSE_END_USER_ID") or DEFAULT_END_USER
    async with AsyncClient(api_key=api_key, base_url=base_url) as client:
        server = build(client, end_user_id)
        if http_port is None:
            await server.run_stdio_async()
        else:
            await server.run_streamable_http_async(host=host, port=http_port)
