"""Runs one claimed task in a fresh browser context with the agent, under the hard timeout."""
import asyncio
import logging

from playwright.async_api import Error as PlaywrightError
from stablebrowse.scheduler.v1 import scheduler_pb2

from services.browser import fastpath
from services.browser.agent.llm import Model
from services.browser.agent.logins import Logins
from services.browser.agent.loop import Agent
from services.browser.chromium import ChromiumPool
from services.browser.events import TaskReporter
from services.browser.failures import TaskFailure
from services.browser.guard import RequestGuard
from services.browser.settings import BrowserSettings

log = logging.getLogger(__name__)

HTML_DUMP_LIMIT = 5 * 1024 * 1024
HTML_DUMP_MARKER = "\n<!-- stablebrowse: html_dump truncated at 5 MiB -->"


def cap_html(html: str) -> str:
    data = html.encode()
    if len(data) <= HTML_DUMP_LIMIT:
        return html
    return data[: HTML_DUMP_LIMIT - len(HTML_DUMP_MARKER.encode())].decode(errors="ignore") + HTML_DUMP_MARKER


def new_model(settings: BrowserSettings) -> Model:
    if not settings.llm_base_url:
        raise TaskFailure("llm_error", "no LLM endpoint is configured (STABLEBROWSE_LLM_BASE_URL)")
    return Model(settings.llm_base_url, settings.llm_api_key, settings.llm_model, token_budget=settings.task_token_budget)


async def run_task(pool: ChromiumPool, settings: BrowserSettings, spec: scheduler_pb2.TaskSpec,
                   report: TaskReporter, indexer=None, browser_slots: asyncio.Semaphore | None = None,
                   logins: Logins | None = None) -> None:
    # The indexer first, before any browser context is opened: a fast answer pays for none.
    if indexer is not None and fastpath.wanted(spec, settings.fast_path):
        reply = await fastpath.ask(indexer, spec, settings.indexer_timeout_ms / 1000)
        if reply is not None:
            await fastpath.report_answer(reply, report, cap_html)
            return
    logins = logins or Logins()
    if browser_slots is None:
        await _run_in_browser(pool, settings, spec, report, logins)
        return
    async with browser_slots:  # at most worker_concurrency browser contexts at once
        await _run_in_browser(pool, settings, spec, report, logins)


async def _run_in_browser(pool: ChromiumPool, settings: BrowserSettings, spec: scheduler_pb2.TaskSpec,
                          report: TaskReporter, logins: Logins) -> None:
    timeout_s = settings.task_timeout_ms / 1000
    guard = RequestGuard(pool.host_map, settings.allowed_host_set())
    async with pool.fresh_context(guard) as context:
        await context.add_cookies(logins.cookies())
        page = await context.new_page()
        model = None
        try:
            async with asyncio.timeout(timeout_s):
                model = new_model(settings)
                result, structured = await Agent(page, spec, report, model, guard, logins).run()
        except TaskFailure as failure:
            await report.failed(str(failure), failure.code, await _dump(page, spec, logins), _usage(model))
            return
        except TimeoutError:
            await report.failed(f"task exceeded TASK_TIMEOUT_MS ({settings.task_timeout_ms} ms)", "timeout",
                                usage=_usage(model))
            return
        finally:
            if model is not None:
                await model.close()
        await report.completed(result, structured, await _dump(page, spec, logins), _usage(model))


def _usage(model: Model | None):
    return model.usage if model is not None else None


async def _dump(page, spec: scheduler_pb2.TaskSpec, logins: Logins) -> str | None:
    if not spec.include_html_dump:
        return None
    try:
        return cap_html(logins.redact(await page.content()))
    except PlaywrightError:
        return None
