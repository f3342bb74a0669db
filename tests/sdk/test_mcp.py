"""`stablebrowse mcp` (the installed console script) driven by the official MCP client over stdio,
against the real stack; only the LLM is scripted."""
import asyncio
import os
import pathlib
import socket
import subprocess
import sys
import threading
import time

import pytest
from mcp import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client
from mcp.client.streamable_http import streamable_http_client

from tests.conftest import wait_terminal
from tests.integration.test_agent import submit
from tests.integration.test_cancel import running_with_steps, wait_for
from tests.integration.test_event_stream import gated
from tests.scripted_llm import finish, finish_with_title
from tests.sdk.conftest import HN, TOP_STORY, marked

CLI = str(pathlib.Path(sys.executable).parent / "stablebrowse")
PROTOS = pathlib.Path(__file__).resolve().parents[2] / "protos"


@pytest.fixture
def server(stack, business):
    env = {k: v for k, v in os.environ.items() if not k.startswith("STABLEBROWSE_")}
    env.update(STABLEBROWSE_API_KEY=business["apiKey"], STABLEBROWSE_BASE_URL=stack.base_url,
               STABLEBROWSE_END_USER_ID="mcp-alice")
    return StdioServerParameters(command=CLI, args=["mcp"], env=env)


async def call(server, name: str, arguments: dict, progress=None):
    async with stdio_client(server) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            return await session.call_tool(name, arguments, read_timeout_seconds=120, progress_callback=progress)


async def test_lists_the_four_tools(server):
    async with stdio_client(server) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            tools = {t.name: t for t in (await session.list_tools()).tools}
    assert set(tools) == {"browse", "get_task", "list_tasks", "cancel_task"}
    assert tools["browse"].input_schema["required"] == ["task"]
    assert {"startUrl", "schema", "sessionId", "maxSteps"} <= set(tools["browse"].input_schema["properties"])


async def test_browse_answers_an_indexed_question_with_progress_per_step(server):
    progress = []

    async def on_progress(value, total, message):
        progress.append((value, message))

    result = await call(server, "browse", {"task": "What is the title of the top story?", "startUrl": HN}, on_progress)
    assert not result.is_error, result.content
    assert result.structured_content["status"] == "completed"
    assert TOP_STORY in result.structured_content["result"] and TOP_STORY in result.content[0].text
    assert len(result.structured_content["taskId"]) == 32
    assert progress and [v for v, _ in progress] == list(range(1, len(progress) + 1))
    assert all(message for _, message in progress)

    record = await call(server, "get_task", {"taskId": result.structured_content["taskId"]})
    assert record.structured_content["endUserId"] == "mcp-alice"
    assert len(record.structured_content["stepSummaries"]) == len(progress)


async def test_browse_returns_structured_content_for_a_schema(server, llm):
    script = llm.script(finish(TOP_STORY, data={"title": TOP_STORY}))
    schema = {"type": "object", "properties": {"title": {"type": "string"}}, "required": ["title"]}
    result = await call(server, "browse", {"task": marked("Top story as JSON?", script), "startUrl": HN,
                                           "schema": schema, "maxSteps": 3})
    assert not result.is_error, result.content
    assert result.structured_content["structuredContent"] == {"title": TOP_STORY}

    follow = await call(server, "browse", {"task": marked("Again?", script), "startUrl": HN,
                                           "sessionId": result.structured_content["sessionId"]})
    listed = await call(server, "list_tasks", {"sessionId": result.structured_content["sessionId"]})
    ids = [t["taskId"] for t in listed.structured_content["tasks"]]
    assert ids == [follow.structured_content["taskId"], result.structured_content["taskId"]]


async def test_failed_task_is_a_tool_error_with_its_error_code(server):
    result = await call(server, "browse", {"task": "Read it", "startUrl": "http://no-such-host.invalid/"})
    assert result.is_error
    assert result.structured_content["errorCode"] == "navigation_error"
    assert result.content[0].text.startswith("navigation_error: ")


async def test_api_errors_are_tool_errors_without_a_traceback(server):
    missing = await call(server, "get_task", {"taskId": "0" * 32})
    assert missing.is_error and missing.structured_content["errorCode"] == "not_found"
    bad = await call(server, "browse", {"task": "   ", "startUrl": HN})
    assert bad.is_error and bad.structured_content["errorCode"] == "invalid_argument"
    assert "task" in bad.structured_content["message"]
    assert not any("Traceback" in r.content[0].text for r in (missing, bad))


async def test_cancel_task_ends_a_running_task(server, api, llm):
    gate = threading.Event()
    try:
        held = submit(api, llm.script(gated(gate, finish_with_title)), startUrl=HN)
        wait_for(lambda: running_with_steps(api, held["taskId"]), what="the task running")
        result = await call(server, "cancel_task", {"taskId": held["taskId"]})
    finally:
        gate.set()
    assert not result.is_error, result.content
    assert (result.structured_content["status"], result.structured_content["errorCode"]) == ("failed", "cancelled")
    assert wait_terminal(api, held["taskId"])["errorCode"] == "cancelled"


async def test_cancel_of_an_unknown_task_says_not_found_or_that_cancel_is_unavailable(server):
    # Which answer is right depends on whether the API publishes the cancel route (its HTTP rules).
    published = any("/cancel" in p.read_text() for p in PROTOS.rglob("*.proto"))
    result = await call(server, "cancel_task", {"taskId": "0" * 32})
    assert result.is_error
    assert result.structured_content["errorCode"] == ("not_found" if published else "cancel_unavailable")


@pytest.fixture
def http_server(server):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([CLI, "mcp", "--http", str(port)], env=server.env, stderr=subprocess.DEVNULL)
    yield port, proc
    proc.terminate()
    proc.wait(timeout=30)


async def test_streamable_http_serves_the_same_tools(http_server):
    port, proc = http_server
    deadline = time.monotonic() + 60
    while True:  # until the server listens
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert proc.poll() is None and time.monotonic() < deadline, "the HTTP server did not start"
            await asyncio.sleep(0.1)
    async with streamable_http_client(f"http://127.0.0.1:{port}/mcp") as (read, write, *_):
        async with ClientSession(read, write) as session:
            await session.initialize()
            assert {t.name for t in (await session.list_tools()).tools} == {"browse", "get_task", "list_tasks",
                                                                             "cancel_task"}
            listed = await session.call_tool("list_tasks", {"pageSize": 1})
    assert not listed.is_error and listed.structured_content["tasks"] == []  # a new business has none
