"""Replays a recipe without the model: each target must be exactly one element (role + name,
then nearby text), parameters are filled in from the task, and the answer is read the recorded
way, then must pass the schema and the grounding check. On the first divergence the agent
loop takes over from the current page, the replayed steps in its history."""
import json
import logging
import re

from services.browser import recipe_page
from services.browser.agent.actions import Action
from services.common import recipes
from services.common.grounding import verify
from stablebrowse.events.v1 import events_pb2
from stablebrowse.tasks.v1 import tasks_pb2

log = logging.getLogger(__name__)

_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")


class Diverged(Exception):
    """The page is not what the recipe expects: the agent takes over."""


class Replayer:
    def __init__(self, recipe: tasks_pb2.Recipe, params: dict[str, str]):
        self.recipe = recipe
        self.params = params
        self.outcome = events_pb2.ReplayOutcome(recipe_id=recipe.recipe_id)

    async def run(self, agent) -> tuple[str, str] | None:
        """The answer, or None after a divergence (reported as a failed step) for the agent to go on from."""
        agent.report.replaying = True
        try:
            for n, step in enumerate(self.recipe.steps, start=1):
                await self.do(agent, n, step)
            result = await self.answer(agent)
            await agent.report.step("finalize", "Read the answer where the recipe says")
            return result
        except Diverged as exc:
            self.outcome.diverged, self.outcome.reason = True, str(exc)[:200]
            log.info("recipe diverged", extra={"task_id": agent.spec.task_id, "recipe_id": self.recipe.recipe_id,
                                               "reason": self.outcome.reason})
            await agent.report.step("execution", f"The page differs from the recipe ({exc}); the agent takes over", False)
            return None
        finally:
            agent.report.replaying = False

    async def do(self, agent, n: int, step: tasks_pb2.RecipeStep) -> None:
        view = await agent.observe(0)
        if await agent.signin.handle(agent.page, view.url, view.asks_login):
            await agent.observe(0)
        action = Action(step.action, text=recipes.fill(step.text, self.params), url=recipes.fill(step.url, self.params))
        if step.action in ("click", "type", "select"):
            action.ref = await self.resolve(agent.page, n, step)
        note = await agent.act(n, action)
        if note:
            raise Diverged(f"step {n}: {note.removeprefix('Your last action failed: ')}")

    async def resolve(self, page, n: int, step: tasks_pb2.RecipeStep) -> str:
        """The ref of the one element the step names; Diverged when none or several."""
        name, near = recipe_page.fold(recipes.fill(step.name, self.params)), recipe_page.fold(
            recipes.fill(step.near, self.params))
        found = [t for t in await recipe_page.targets(page, step.role) if recipe_page.fold(t.name) == name]
        if len(found) > 1:
            found = [t for t in await recipe_page.targets(page, step.role, near=True)
                     if recipe_page.fold(t.name) == name and recipe_page.fold(t.near) == near]
        if len(found) != 1:
            raise Diverged(f"step {n}: {step.role} {json.dumps(step.name)} {'not found' if not found else 'is ambiguous'}")
        return found[0].ref

    async def value(self, page, read: tasks_pb2.RecipeRead):
        text = await recipe_page.read(page, recipes.fill(read.path, self.params))
        prefix, suffix = recipes.fill(read.prefix, self.params), recipes.fill(read.suffix, self.params)
        if text is None or not text.startswith(prefix) or not text.endswith(suffix) or len(text) <= len(prefix + suffix):
            raise Diverged(f"the {read.field or 'answer'} is not where the recipe read it")
        raw = text[len(prefix):len(text) - len(suffix)]
        if read.kind == "string":
            return raw
        plain = raw.replace(",", "")
        if not _NUMBER.fullmatch(plain) or (read.kind == "integer" and "." in plain):
            raise Diverged(f"the {read.field} is not a {read.kind} any more")
        return int(plain) if read.kind == "integer" else float(plain)

    async def answer(self, agent) -> tuple[str, str]:
        await agent.observe(0)  # keeps the final page's text for the grounding check
        values = {read.field: await self.value(agent.page, read) for read in self.recipe.reads}
        structured = ""
        if agent.user_schema is not None:
            data = {k: v for k, v in values.items() if k}
            if agent.schema_errors(data):
                raise Diverged("the data read does not satisfy the schema")
            structured = json.dumps(data)
        text = recipes.fill(self.recipe.answer, self.params).replace("{value}", str(values.get("", "")))
        answer = text or structured
        result = verify("" if answer == structured else answer, json.loads(structured) if structured else None,
                        list(agent.grounding.pages))
        if not result.grounded:
            raise Diverged("the answer read is not on the page")
        agent.grounding.verification = tasks_pb2.Verification(grounded=True)
        return answer, structured


def replayer_for(spec) -> Replayer | None:
    """A Replayer when the task was given a recipe that binds (the scheduler matched it; this is
    checked again here: same template, every parameter bound, the same start page)."""
    if not spec.HasField("recipe") or not spec.HasField("start_url") or spec.previous_context or spec.previous_error:
        return None
    params = recipes.bind(spec.recipe.template, spec.task)
    if params is None or not recipes.starts_at(spec.recipe.start_url, params, spec.start_url):
        return None
    return Replayer(spec.recipe, params)
