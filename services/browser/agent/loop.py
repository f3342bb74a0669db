"""The agent: observe the page, ask the model for one action, do it, report the step; repeat."""
import asyncio
import dataclasses
import json
import logging
import time
import urllib.parse

from playwright.async_api import Error as PlaywrightError

from services.browser.agent import extract, fields, intent, prompt
from services.browser.agent.actions import ACTIONS, Action, ActionError, action_schema, perform, web_url
from services.browser.agent.grounding import Grounding
from services.browser.agent.llm import Model
from services.browser.agent.logins import PASSWORD, USERNAME, Logins, MissingLogin, PlaceholderRefused
from services.browser.agent.observe import Observation, lines, names, near, observe, ref_id, ref_selector, refs_in
from services.browser.agent.settle import Quiet
from services.browser.agent.signin import SignIn, host_of
from services.browser.events import TaskReporter
from services.browser.guard import RequestGuard
from services.browser.recording import Trail, recordable
from services.browser.replay import Replayer
from services.common import schemas
from services.common.failures import ErrorCode, TaskFailure
from stablebrowse.scheduler.v1 import scheduler_pb2

log = logging.getLogger(__name__)

STEP_TYPES = {"navigate": "navigation", "back": "navigation", "click": "execution", "type": "execution",
              "select": "execution", "scroll": "extraction"}


class Agent:
    def __init__(self, page, spec: scheduler_pb2.TaskSpec, report: TaskReporter, model: Model, guard: RequestGuard,
                 logins: Logins | None = None):
        self.page = page
        self.logins = logins or Logins()
        self.signin = SignIn(self.logins, report)
        self.quiet = Quiet(page)
        self.spec = spec
        self.report = report
        self.model = model
        self.guard = guard
        self.user_schema = json.loads(spec.schema_json) if spec.schema_json else None
        self.validator = self.checked(spec.schema_json) if spec.schema_json else None
        # The caller's schema sits at /properties/data of the reply schema: its local $refs follow it there.
        self.data_schema = schemas.embedded(self.user_schema, "/properties/data") if self.user_schema is not None else None
        self.schema = action_schema(self.data_schema)
        # Replies are checked for shape here; `data` against the user's schema in finish(),
        # where a mismatch goes back to the model with the errors.
        self.shape = action_schema({} if self.user_schema is not None else None)
        self.system = prompt.system_prompt(spec.schema_json)
        self.history: list[str] = []
        self.act_task = intent.asks_to_act(spec.task)
        self.acted = False  # an execution step (click, type, select) succeeded
        self.held = 0  # turns finish was held back on an act task (Agent.holds_finish)
        # A question (no schema, no earlier turns) is first asked of the lines that name its subject (Agent.extracted).
        self.extract = intent.asks_question(spec.task) and not spec.schema_json and not spec.previous_context
        self.holds = 0  # clicks held back for a form's empty fields (Agent.unfinished)
        self.held_click: tuple[int, Action] | None = None  # the last one, with its step
        self.done: list[Action] = []  # the clicks, types and selects that succeeded on this page, to notice one asked again
        self.lines: dict[str, str] = {}  # each ref's whole line in the view: role, name, state (a value, [checked] …)
        self.grounding = Grounding(spec.require_grounded)
        self.warming: asyncio.Future | None = None  # Agent.warm
        self.laps: dict[str, float] = {}  # this step's parts of an action, in ms (logged with the step)
        self.trail = Trail(recordable(spec))  # what succeeded, for the recipe of a grounded run (recording.py)
        self.replayer: Replayer | None = None  # a recipe to replay before asking the model

    @staticmethod
    def checked(schema_json: str):
        """The caller's schema as a safe validator (refused: the task fails before any model call)."""
        try:
            return schemas.compiled(schema_json)
        except schemas.BadSchema as exc:
            raise TaskFailure(ErrorCode.ERROR_CODE_SCHEMA_UNSATISFIABLE, f"schema: {exc}") from None

    async def run(self) -> tuple[str, str]:
        """Returns (result, structured_content_json)."""
        await self.goto(self.spec.start_url if self.spec.HasField("start_url") else await self.discover())
        replayed = await self.replayer.run(self) if self.replayer is not None else None
        return replayed if replayed is not None else await self.loop()

    async def discover(self) -> str:
        reply = await self.model.ask(prompt.DISCOVERY, f"Task: {self.spec.task}", prompt.DISCOVERY_SCHEMA, "start")
        url = reply["url"].strip()
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            await self.report.step("discovery", "Could not resolve the question to a web page", False)
            raise TaskFailure(ErrorCode.ERROR_CODE_NAVIGATION_ERROR, "no usable start page for this task")
        await self.report.step("discovery", f"Resolved the question to {host_of(url)}")
        return url

    async def goto(self, url: str) -> None:
        host = host_of(url)
        if not web_url(url):
            raise TaskFailure(ErrorCode.ERROR_CODE_NAVIGATION_ERROR, "only http(s) URLs can be opened")
        if not self.history and not self.report.steps:
            since_created = time.time_ns() // 1_000_000 - self.spec.created_at.ToMilliseconds()
            log.info("first browser action", extra={"task_id": self.spec.task_id, "since_created_ms": since_created})
        since = len(self.guard.refusals)
        await self.report.pictured()  # the last step's screenshot is of the page it left
        if not await self.guard.allows(url):  # the proxy would refuse it too: no page load to wait for
            self.check_blocked(host, since)
        try:
            await self.page.goto(url, wait_until="domcontentloaded", timeout=30_000)
        except PlaywrightError as exc:
            self.check_blocked(host, since)
            await self.report.step("navigation", f"Could not open {host}", False)
            reason = self.logins.redact(exc.message.splitlines()[0])
            raise TaskFailure(ErrorCode.ERROR_CODE_NAVIGATION_ERROR, f"could not open {host}: {reason}") from None
        self.report.visit(self.logins.redact(self.page.url))
        await self.report.step("navigation", f"Opened {host}")

    def check_blocked(self, host: str, since: int | None = None) -> None:
        """A page load refused by the guard or the egress proxy (the page's own host, or a
        redirect's) ends the task; `since`: a page load failed, and what was refused after that
        index of the guard's refusals is why."""
        later = self.guard.refusals[since:] if since is not None else []
        refused = host.lower() if host.lower() in self.guard.blocked else (later[-1] if later else None)
        if refused:
            raise TaskFailure(ErrorCode.ERROR_CODE_BLOCKED_ADDRESS,
                              f"{refused} is not a globally routable address (private, shared, loopback, "
                              "link-local or metadata); browsing it is not allowed")

    async def loop(self) -> tuple[str, str]:
        window, note, last, step = 0, "", self.spec.max_steps, 0
        while step < last:
            step += 1
            began = time.perf_counter()
            view = await self.observe(window)
            if view.asks_login:
                await self.report.pictured()  # the last step's screenshot shows the page before the agent signs in
            if await self.signin.handle(self.page, view.url, view.asks_login):
                self.report.visit(self.logins.redact(self.page.url))
                view = await self.observe(0)
            observed = time.perf_counter()
            self.warm()
            hint = self.signin.hint(view.url) if view.asks_login else ""
            page = view.render(self.spec.task)
            text = prompt.step_prompt(self.spec.task, self.spec.previous_context or None, self.spec.previous_error or None,
                                      self.history, step, last, page, "\n".join(filter(None, (note, hint))),
                                      act=self.act_task)
            held = self.holds_finish(step, last)
            schema = action_schema(self.data_schema, tuple(a for a in ACTIONS if a != "finish" or not held), refs_in(page))
            asked = time.perf_counter()
            tokens = self.model.usage.prompt_tokens
            action = await self.extracted(view) or Action.from_reply(
                await self.model.ask(self.system, text, schema, "action", self.shape))
            answered = time.perf_counter()
            if action.action == "finish" and held:  # an endpoint that does not decode under the schema
                note, result = intent.not_done_note(self.spec.task), None
                self.history.append(f"{step}. finish -> refused: nothing was done on the page yet")
            elif action.action == "finish":
                result, note = await self.grounded(step, await self.finish(action))
                last = max(last, step + 1) if result is None else last  # sent back: one more step to correct it
            elif self.repeated(action) and step < last:
                note, result = intent.repeated_note(self.told(action), await self.left_beside(action)), None
                self.history.append(f"{step}. {self.told(action)} -> skipped: already done")
            elif step == last:
                self.signin.check(answered=False)
                raise TaskFailure(ErrorCode.ERROR_CODE_MAX_STEPS, f"reached maxSteps ({self.spec.max_steps}) without an answer")
            else:
                window = window + (1 if action.text.strip().lower() != "up" else -1) if action.action == "scroll" else 0
                note = await self.act(step, action)
                result = None
            done = time.perf_counter()
            log.info("agent step", extra={
                "task_id": self.spec.task_id, "step": step, "action": action.action,
                "llm_ms": round((answered - asked) * 1000, 1),
                "overhead_ms": round(((asked - began) + (done - answered)) * 1000, 1),
                "observe_ms": round((observed - began) * 1000, 1), "act_ms": round((done - answered) * 1000, 1),
                "prompt_tokens": self.model.usage.prompt_tokens - tokens, "prompt_chars": len(text),
                "settle_ms": 0.0, **self.laps,
            })
            self.laps = {}
            if result is not None:
                return result
        self.signin.check(answered=False)
        raise TaskFailure(ErrorCode.ERROR_CODE_MAX_STEPS, f"reached maxSteps ({self.spec.max_steps}) without an answer")

    async def extracted(self, view: Observation) -> Action | None:
        """A question's first, cheap call (extract.py), once per task: its answer is a finish
        like any other (grounded, or sent back); None to ask with the whole page."""
        lines = near(view.whole, self.spec.task) if self.extract else ""
        if not lines or len(lines) * extract.SHARE > len(view.whole):
            return None  # asked again on a later page, which may name it (in a long enough page)
        self.extract = False
        answer = await extract.answer(self.model, self.spec.task, view, lines)
        return Action(action="finish", answer=answer) if answer else None

    def warm(self) -> None:
        """Has Playwright set up its in-page helper for this document while the model is asked:
        the first element action on a new document pays for it otherwise (30–100 ms here). After
        the last step's screenshot, never competing with it; read only; a page gone meanwhile
        just fails it."""
        async def warming() -> None:
            await self.report.shot_taken()
            await self.page.locator("html").count()
        self.warming = asyncio.ensure_future(warming())  # kept: a task only the loop references may vanish
        self.warming.add_done_callback(lambda done: done.cancelled() or done.exception())

    def holds_finish(self, step: int, last: int) -> bool:
        """On a task that asks to act, before any action succeeded, this turn offers no finish:
        an endpoint that decodes under the schema cannot choose it, another's finish is sent
        back. For at most intent.REFUSALS turns, never the last: a task that cannot be done
        still ends with the model's answer."""
        if not self.act_task or self.acted or self.held >= intent.REFUSALS or step == last:
            return False
        self.held += 1
        return True

    def repeated(self, action: Action) -> bool:
        """A type or select that succeeded on this page before, and the field still shows it:
        doing it again changes nothing; a click that checked a box or radio button that is still
        checked: again, it would undo a checkbox."""
        if action not in self.done:
            return False
        line, text = self.lines.get(ref_id(action.ref), ""), " ".join(action.text.split())
        match action.action:
            case "type":
                return line.endswith("[filled]") or f": {text[:80]}" in line
            case "select":
                return f"*{text}" in line
            case "click":
                return self.element(action).startswith(("checkbox", "radio")) and "[checked]" in line
        return False

    async def observe(self, window: int):
        view = await observe(self.page, window)
        view.content, view.whole = self.logins.redact(view.content), self.logins.redact(view.whole)
        self.grounding.keep(view.page_text, self.logins.redact)
        self.lines = lines(view.whole)
        view.page_text = ""
        return view

    async def act(self, step: int, action: Action) -> str:
        """Does the action and reports it; returns a note for the next prompt when it failed."""
        kind = STEP_TYPES.get(action.action, "execution")
        began = time.perf_counter()
        await self.report.pictured()  # the last step's screenshot shows the page before this action
        began = self.lap("pictured", began)
        if action.action == "navigate" and not web_url(action.url):
            return await self.failed(step, action, kind, "only http(s) URLs can be opened")
        if action.action == "click" and self.element(action).startswith("combobox"):
            # A click opens a native list the page's view never shows: the option is chosen by select.
            return await self.failed(step, action, kind, f'{action.ref} is a list: reply {{"action":"select","ref":'
                                     f'"{action.ref}","text":"<option>"}} with the option the task names')
        if empty := await self.unfinished(step, action):
            self.history.append(f"{step}. {self.told(action)} -> held: {', '.join(empty)} empty")
            self.held_click = (step, action)
            return intent.empty_note(ref_id(action.ref), empty)
        if action.action == "navigate":
            await self.goto(action.url)
            self.done = []  # refs name elements of the new page now
            self.trail.add(action, None)
            self.history.append(f"{step}. {action.brief()} -> ok")
            return ""
        since, before = len(self.guard.refusals), self.page.url
        target = await self.trail.before(self.page, action)
        began = self.lap("target", began)
        try:
            message = self.logins.redact(await perform(self.page, await self.filled(action)))
            acted = self.lap("perform", began)
            await self.quiet.wait()
            await self.page.wait_for_load_state("domcontentloaded", timeout=15_000)
            self.lap("settle", acted)
        except (ActionError, MissingLogin, PlaceholderRefused, PlaywrightError) as exc:
            reason = "the element could not be used" if isinstance(exc, PlaywrightError) else str(exc).splitlines()[0][:160]
            if isinstance(exc, MissingLogin):
                self.signin.missed(host_of(self.page.url))
            return await self.failed(step, action, kind, reason)
        failed_load = self.page.url.startswith("chrome-error:")  # the page Chromium shows for a failed load
        self.check_blocked(host_of(self.page.url), since if failed_load else None)
        if not failed_load and not web_url(self.page.url):
            return await self.leave(step, action, kind, before)
        self.report.visit(self.logins.redact(self.page.url))
        self.history.append(f"{step}. {self.told(action)} -> ok")
        self.acted = self.acted or kind == "execution"
        self.done.append(action)
        self.trail.add(action, target)
        await self.report.step(kind, message)
        return ""

    async def unfinished(self, step: int, action: Action) -> list[str]:
        """The empty fields (as the view names them) of the form a click on a button would submit
        too early: some filled, or the task gives text. Held at most intent.REFUSALS times; a
        click right after its own hold goes through (the fields are left empty on purpose)."""
        if (action.action != "click" or self.report.replaying or not self.element(action).startswith("button")
                or self.holds >= intent.REFUSALS or self.held_click == (step - 1, action)):
            return []
        empty = await fields.left_empty(self.page.locator(ref_selector(action.ref)), intent.asks_to_fill(self.spec.task))
        self.holds += bool(empty)
        return self.named(empty)

    async def left_beside(self, action: Action) -> list[str]:
        """The empty fields of the form a type action's field is in (as the view names them)."""
        if action.action != "type":
            return []
        return self.named(await fields.left_empty(self.page.locator(ref_selector(action.ref)), True))

    def named(self, refs: list[str]) -> list[str]:
        """Fields as the view names them, for a note: `[e2] password "Verify password"`."""
        return [f"[{ref}] {self.name(ref) or 'field'}" for ref in refs]

    def told(self, action: Action) -> str:
        """The action as the model's history tells it: with the element's role and name (`click e2
        (checkbox "Blue")`), so a small model sees which parts of the task are done."""
        name = self.element(action)
        return f"{action.brief()} ({name})" if name else action.brief()

    def element(self, action: Action) -> str:
        """The role and name the view in the prompt gave the element an action names ("" for none)."""
        return self.name(ref_id(action.ref))

    def name(self, ref: str) -> str:
        """A ref's role and name in the view, from its line (`checkbox "Blue"`; "" for none)."""
        return names(self.lines.get(ref, "")).get(ref, "")

    def lap(self, part: str, since: float) -> float:
        """Notes how long `part` of this step's action took (logged with the step: pictured, the
        wait for the last step's screenshot; target, the recipe's description of the element;
        perform, the action itself; settle); returns now, when the next part begins."""
        now = time.perf_counter()
        self.laps[f"{part}_ms"] = round((now - since) * 1000, 1)
        return now

    async def filled(self, action: Action) -> Action:
        """The action with placeholders filled, for a type action into the field they name."""
        if action.action != "type" or (USERNAME not in action.text and PASSWORD not in action.text):
            return action
        field = await fields.describe(self.page.locator(ref_selector(action.ref)))
        return dataclasses.replace(action, text=self.logins.fill(action.text, field))

    async def leave(self, step: int, action: Action, kind: str, before: str) -> str:
        """The action led off the web (chrome:, view-source:, file: …): back to where it was."""
        scheme = urllib.parse.urlsplit(self.page.url).scheme or "non-web"
        try:
            await self.page.goto(before, wait_until="domcontentloaded", timeout=30_000)
        except PlaywrightError:
            raise TaskFailure(ErrorCode.ERROR_CODE_NAVIGATION_ERROR, f"could not return to {host_of(before)}") from None
        return await self.failed(step, action, kind, f"it led to a {scheme}: page, which is not opened")

    async def failed(self, step: int, action: Action, kind: str, reason: str) -> str:
        self.history.append(f"{step}. {self.told(action)} -> failed: {reason}")
        await self.report.step(kind, f"Could not {action.action}: {reason}", False)
        return f"Your last action failed: {reason}"

    async def grounded(self, step: int, result: tuple[str, str]) -> tuple[tuple[str, str] | None, str]:
        """The grounding check of a finished answer: (the result, "") to end with it, or (None,
        the note for the next prompt) when it goes back to the model."""
        note = self.grounding.judge(*result)
        if note is None:
            return result, ""
        self.history.append(f"{step}. finish -> refused: facts not on any page visited")
        await self.report.step("finalize", "The answer names facts not found on the pages visited; asking again", False)
        return None, note

    def redacted(self, action: Action) -> Action:
        """The model's answer and data with secret values taken out, value by value."""
        return dataclasses.replace(action, answer=self.logins.redact(action.answer),
                                   data=self.logins.redact_data(action.data))

    async def finish(self, action: Action) -> tuple[str, str]:
        action = self.redacted(action)
        self.signin.check(answered=bool(action.answer.strip()) or action.data is not None)
        if self.user_schema is None:
            await self.report.step("finalize", "Composed the answer")
            return action.answer, ""
        data = action.data
        for attempt in range(2):
            errors = self.schema_errors(data)
            if not errors:
                await self.report.step("finalize", "Composed the answer and structured data")
                return action.answer or json.dumps(data), json.dumps(data)
            if attempt == 0:
                await self.report.step("finalize", "Structured data did not match the schema; retrying", False)
                action = await self.retry_data(action, errors)
                data = action.data
        raise TaskFailure(ErrorCode.ERROR_CODE_SCHEMA_UNSATISFIABLE,
                          "the answer could not be given in the requested schema: " + "; ".join(self.schema_errors(data))[:500])

    def schema_errors(self, data) -> list[str]:
        if data is None:
            return ["data is missing"]
        try:
            return schemas.problems(self.validator, data)
        except schemas.BadSchema as exc:
            raise TaskFailure(ErrorCode.ERROR_CODE_SCHEMA_UNSATISFIABLE, f"schema: {exc}") from None

    async def retry_data(self, action: Action, errors: list[str]) -> Action:
        text = (f"Task: {self.spec.task}\nYour answer: {action.answer}\nYour data did not match the schema:\n"
                + "\n".join(errors) + "\nReply finish again with the answer and corrected data.")
        return self.redacted(Action.from_reply(await self.model.ask(self.system, text, self.schema, "action", self.shape)))
