"""Runs one claimed task in a fresh browser context.

The walking skeleton: open startUrl and answer with the page title. The LLM agent
replaces the body of `drive` without changing how tasks are claimed, run or reported.
"""
import asyncio
import logging
import urllib.parse

from playwright.async_api import Error as PlaywrightError
from stablebrowse.scheduler.v1 import scheduler_pb2

from services.browser.chromium import ChromiumPool
from services.browser.events import TaskReporter

log = logging.getLogger(__name__)

HTML_DUMP_LIMIT = 5 * 1024 * 1024
HTML_DUMP_MARKER = "\n<!-- stablebrowse: html_dump truncated at 5 MiB -->"


class TaskFailure(Exception):
    """Ends the task as failed with a machine-readable code."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def cap_html(html: str) -> str:
    data = html.encode()
    if len(data) <= HTML_DUMP_LIMIT:
        return html
    return data[: HTML_DUMP_LIMIT - len(HTML_DUMP_MARKER.encode())].decode(errors="ignore") + HTML_DUMP_MARKER


async def drive(page, spec: scheduler_pb2.TaskSpec, report: TaskReporter) -> str:
    if not spec.HasField("start_url"):
        raise TaskFailure("navigation_error", "no startUrl given and URL discovery is not available yet")
    host = urllib.parse.urlsplit(spec.start_url).hostname or spec.start_url
    try:
        await page.goto(spec.start_url, wait_until="domcontentloaded", timeout=30_000)
    except PlaywrightError as exc:
        await report.step("navigation", f"Could not open {host}", False)
        raise TaskFailure("navigation_error", f"could not open {host}: {exc.message.splitlines()[0]}") from None
    report.visit(page.url)
    await report.step("navigation", f"Opened {host}")
    title = await page.title()
    await report.step("extraction", "Read the page title")
    return title


async def run_task(pool: ChromiumPool, spec: scheduler_pb2.TaskSpec, report: TaskReporter, timeout_s: float) -> None:
    async with pool.fresh_context() as context:
        page = await context.new_page()
        try:
            async with asyncio.timeout(timeout_s):
                result = await drive(page, spec, report)
        except TaskFailure as failure:
            await report.failed(str(failure), failure.code, await _dump(page, spec))
            return
        except TimeoutError:
            await report.failed(f"task exceeded TASK_TIMEOUT_MS ({int(timeout_s * 1000)} ms)", "timeout")
            return
        await report.completed(result, html_dump=await _dump(page, spec))


async def _dump(page, spec: scheduler_pb2.TaskSpec) -> str | None:
    if not spec.include_html_dump:
        return None
    try:
        return cap_html(await page.content())
    except PlaywrightError:
        return None
