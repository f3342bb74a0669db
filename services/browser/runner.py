"""Runs one claimed task in a fresh browser context with the agent, under the hard timeout."""
import asyncio
import contextlib
import logging
from typing import cast

from playwright.async_api import Browser
from playwright.async_api import Error as PlaywrightError

from services.browser import fastpath, recording
from services.browser.agent.llm import Model
from services.browser.agent.logins import Logins
from services.browser.agent.loop import Agent
from services.browser.chromium import BrowserLost, ChromiumPool
from services.browser.events import TaskReporter
from services.browser.guard import RequestGuard
from services.browser.replay import replayer_for
from services.browser.screenshots import Camera
from services.browser.settings import BrowserSettings
from services.common.failures import ErrorCode, TaskFailure
from services.common.htmldump import cap_html
from stablebrowse.scheduler.v1 import scheduler_pb2

log = logging.getLogger(__name__)

DUMP_BUDGET_S = 5.0  # the html dump's share of TASK_TIMEOUT_MS, kept back from the agent


def new_model(settings: BrowserSettings) -> Model:
    if not settings.llm_base_url:
        raise TaskFailure(ErrorCode.ERROR_CODE_LLM_ERROR, "no LLM endpoint is configured (STABLEBROWSE_LLM_BASE_URL)")
    return Model(settings.llm_base_url, settings.llm_api_key, settings.llm_model, token_budget=settings.task_token_budget)


async def run_task(pool: ChromiumPool, settings: BrowserSettings, spec: scheduler_pb2.TaskSpec,
                   report: TaskReporter, indexer=None, browser_slots: asyncio.Semaphore | None = None,
                   logins: Logins | None = None, deadline: float | None = None) -> None:
    """Everything a task does — the indexer call, the wait for a browser slot, the run and the
    html dump — ends by `deadline` (loop time; default: TASK_TIMEOUT_MS from now). On expiry
    the context is closed (its renderer with it) and the task fails `timeout`."""
    if deadline is None:
        deadline = asyncio.get_running_loop().time() + settings.task_timeout_ms / 1000
    slots = browser_slots or asyncio.Semaphore(1)
    try:
        async with asyncio.timeout_at(deadline):
            # The indexer first, before any browser context is opened: a fast answer pays for none.
            if indexer is not None and fastpath.wanted(spec, settings.fast_path):
                reply = await fastpath.ask(indexer, spec, settings.indexer_timeout_ms / 1000)
                if reply is not None:
                    await fastpath.report_answer(reply, report, cap_html)
                    return
            await slots.acquire()  # at most worker_concurrency browser contexts at once
    except TimeoutError:
        await report.failed(_timed_out(settings))
        return
    try:
        await _run_in_browser(pool, settings, spec, report, logins or Logins(), deadline)
    finally:
        slots.release()


def _timed_out(settings: BrowserSettings) -> TaskFailure:
    return TaskFailure(ErrorCode.ERROR_CODE_TIMEOUT, f"task exceeded TASK_TIMEOUT_MS ({settings.task_timeout_ms} ms)")


async def _run_in_browser(pool: ChromiumPool, settings: BrowserSettings, spec: scheduler_pb2.TaskSpec,
                          report: TaskReporter, logins: Logins, deadline: float) -> None:
    """The agent gets the time left but the dump's budget, the dump what remains; the context
    is closed after both, outside every deadline, and only then is the outcome reported."""
    dump_budget = min(DUMP_BUDGET_S, settings.task_timeout_ms / 4000) if spec.include_html_dump else 0.0
    guard = RequestGuard(pool.host_map, settings.allowed_hosts)
    browser, page, model, agent = pool.browser, None, None, None
    failure: TaskFailure | None = None
    result, structured, dump = "", "", None
    async with contextlib.AsyncExitStack() as stack:
        try:
            async with asyncio.timeout_at(deadline - dump_budget):
                context = await stack.enter_async_context(pool.fresh_context(guard))
                stack.push_async_callback(report.pictured)  # the last step's screenshot, before the context closes
                browser = context.browser or browser
                lost = pool.lost_signal_for(cast(Browser, browser))  # the pool is ready: it has a browser
                await context.add_cookies(logins.cookies())
                page = await context.new_page()
                report.camera = Camera(page, settings.screenshot_quality, settings.screenshot_timeout_ms / 1000)
                model = new_model(settings)
                stack.push_async_callback(model.close)
                agent = Agent(page, spec, report, model, guard, logins)
                agent.replayer = replayer_for(spec)
                report.replay = agent.replayer.outcome if agent.replayer is not None else None
                result, structured = await _unless_lost(agent.run(), lost)
                report.recipe = await recording.record(agent, (result, structured))
        except TaskFailure as failed:
            failure = failed
        except TimeoutError:
            failure = _timed_out(settings)
        except Exception:
            _raise_if_lost(pool, browser)
            raise
        dump = await _dump(page, spec, logins, deadline)
    _raise_if_lost(pool, browser)
    if failure is not None:
        await report.failed(failure, dump, _usage(model))
    else:
        await report.completed(result, structured, dump, _usage(model),
                               verification=agent.grounding.verification if agent is not None else None)


async def _unless_lost(run, lost: asyncio.Event):
    """The agent's result, or BrowserLost as soon as Chromium dies (the agent may be waiting
    on the model, not on the browser, and would not notice)."""
    agent = asyncio.ensure_future(run)
    watch = asyncio.ensure_future(lost.wait())
    try:
        await asyncio.wait({agent, watch}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (agent, watch):
            task.cancel()
        await asyncio.gather(agent, watch, return_exceptions=True)
    if not agent.cancelled() and agent.exception() is None:
        return agent.result()
    if watch.done() and not watch.cancelled():
        raise BrowserLost("chromium died while the task ran")
    return agent.result()  # raises the agent's own error


def _raise_if_lost(pool: ChromiumPool, browser) -> None:
    if browser is not None and pool.lost(browser):
        raise BrowserLost("chromium died while the task ran")


def _usage(model: Model | None):
    return model.usage if model is not None else None


async def _dump(page, spec: scheduler_pb2.TaskSpec, logins: Logins, deadline: float) -> str | None:
    """The page's HTML within what is left of the task's time: a page whose main thread never
    yields (a busy loop) gives none rather than holding the task."""
    if page is None or not spec.include_html_dump:
        return None
    try:
        async with asyncio.timeout_at(deadline):
            return cap_html(logins.redact(await page.content()))
    except (PlaywrightError, TimeoutError):
        return None
