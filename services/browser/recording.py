"""Records a recipe from a grounded run: the actions that succeeded, each with a target found
again by role + name (+ nearby text), the task as a template, and where the answer was read.

A recipe carries no secret (login placeholders stay placeholders; anything the vault would
redact means no recipe) and no end user's value from the task (parameters are {pN})."""
import dataclasses
import json
import logging
import re
import urllib.parse

from services.browser import recipe_page
from services.browser.agent import intent
from services.browser.agent.actions import Action
from services.browser.agent.observe import ref_id
from services.browser.recipe_page import Target
from services.common import recipes
from services.common.grounding import answer_facts
from stablebrowse.scheduler.v1 import scheduler_pb2
from stablebrowse.tasks.v1 import tasks_pb2

log = logging.getLogger(__name__)

TARGETED = ("click", "type", "select")
# A task that picks one item of a list by comparing them: the item's place in the list is not
# the same for other parameters, so a read by position would be a right fact about the wrong item.
CHOOSES = re.compile(r"\b(?:cheapest|dearest|best|worst|highest|lowest|most|least|largest|smallest|biggest|"
                     r"longest|shortest|newest|oldest|top-rated|maximum|minimum)\b", re.IGNORECASE)
MAX_AROUND = 200  # characters of element text around a read value


@dataclasses.dataclass
class Done:
    action: Action
    target: Target | None


def recordable(spec: scheduler_pb2.TaskSpec) -> bool:
    """Whether a run of this task may become a recipe: its start page came from the caller (not
    from the model's discovery: nothing to match a later task on) and it is a first turn (what the
    agent did may lean on the session's earlier turns)."""
    return spec.HasField("start_url") and not spec.previous_context and not spec.previous_error


class Trail:
    """The actions of a run that succeeded, in order, with their targets as they were before the
    action. A run that cannot become a recipe (`recording` false) describes no targets."""

    def __init__(self, recording: bool = True) -> None:
        self.recording = recording
        self.done: list[Done] = []

    async def before(self, page, action: Action) -> Target | None:
        if not self.recording or action.action not in TARGETED:
            return None
        described = await recipe_page.targets(page, near=True, ref=ref_id(action.ref))  # one round trip, one element
        return described[0] if described else None

    def add(self, action: Action, target: Target | None) -> None:
        self.done.append(Done(action, target))


def _used(spec: scheduler_pb2.TaskSpec, trail: Trail) -> list[tuple[str, bool]]:
    """The strings of the run that a parameter must appear in to be one, each with whether it is
    a URL (templated case-sensitively)."""
    used = [(urllib.parse.unquote(spec.start_url), True)]
    for done in trail.done:
        used += [(done.action.text if done.action.action in ("type", "select") else "", False),
                 (urllib.parse.unquote(done.action.url), True), (done.target.name if done.target else "", False)]
    return [(u, url) for u, url in used if u]


def parameters(spec: scheduler_pb2.TaskSpec, trail: Trail) -> list[str]:
    """The task's values that the run used: those a recipe string holds (a URL in the same case)."""
    used = _used(spec, trail)
    return [p for p in recipes.candidates(spec.task, [u for u, _ in used])
            if any(recipes.templated(u, {"p": p}, url) != u for u, url in used)]


def _step(done: Done, names: dict[str, str]) -> tasks_pb2.RecipeStep:
    action, target = done.action, done.target
    step = tasks_pb2.RecipeStep(action=action.action, url=recipes.templated(action.url, names, exact=True))
    if action.action in ("type", "select", "scroll"):
        step.text = recipes.templated(action.text, names)
    if target is not None:
        step.role, step.name, step.near = target.role, recipes.templated(target.name, names), recipes.templated(
            target.near, names)
    return step


def _cut(place: dict | None, value: str, field: str, kind: str) -> tasks_pb2.RecipeRead | None:
    if place is None or value not in place["text"]:
        return None
    at = place["text"].index(value)
    prefix, suffix = place["text"][:at], place["text"][at + len(value):]
    if len(prefix) + len(suffix) > MAX_AROUND:
        return None
    return tasks_pb2.RecipeRead(field=field, path=place["path"], prefix=prefix, suffix=suffix, kind=kind)


def _kind(value: object) -> str | None:
    if isinstance(value, bool) or value is None or isinstance(value, dict | list):
        return None
    return "integer" if isinstance(value, int) else "number" if isinstance(value, float) else "string"


async def _reads(page, spec: scheduler_pb2.TaskSpec, answer: str, structured: str) -> tuple[list, str] | None:
    """(reads, answer template) or None when the answer's values cannot all be placed on the page."""
    if structured:
        data = json.loads(structured)
        if not isinstance(data, dict) or not data or any(_kind(v) is None for v in data.values()):
            return None
        values = {k: json.dumps(v) if not isinstance(v, str) else v for k, v in data.items()}
        found = await recipe_page.locate(page, list(values.values()), "")
        if found is None:
            return None
        reads = [_cut(place, values[k], k, _kind(data[k]) or "") for k, place in zip(values, found["places"], strict=True)]
        return None if None in reads else (reads, "")  # the answer text of a replay is the data's JSON
    found = await recipe_page.locate(page, [answer.strip()], answer)
    whole = _cut(found["places"][0], answer.strip(), "", "string") if found else None
    if whole is not None:
        return [whole], "{value}"
    quoted = _cut(found["quotedPlace"], found["quoted"], "", "string") if found and found["quoted"] else None
    if quoted is not None and found is not None:
        return [quoted], answer.replace(found["quoted"], "{value}", 1)
    if intent.asks_to_act(spec.task) and not answer_facts(answer):
        return [], answer  # "done": an act task's answer claims nothing to read
    return None


def _strings(recipe: tasks_pb2.Recipe) -> list[str]:
    out = [recipe.template, recipe.start_url, recipe.answer]
    for step in recipe.steps:
        out += [step.name, step.near, step.text, step.url]
    for read in recipe.reads:
        out += [read.path, read.prefix, read.suffix]
    return out


async def build(page, spec: scheduler_pb2.TaskSpec, trail: Trail, answer: str, structured: str,
                redact) -> tasks_pb2.Recipe | None:
    """The recipe of a grounded run, or None when it cannot be recorded safely."""
    if not recordable(spec):
        return None
    found = await _reads(page, spec, answer, structured)
    if found is None:
        return None
    template, names = recipes.lift(spec.task, parameters(spec, trail))
    reads, answer_template = found
    if CHOOSES.search(spec.task) and any(":nth-of-type(" in r.path for r in reads):
        return None  # a choice by comparison, read by position: not repeatable
    recipe = tasks_pb2.Recipe(
        site=recipes.site_of(spec.start_url), template=template,
        start_url=recipes.templated(recipes.page_address(spec.start_url), names, exact=True),
        steps=[_step(done, names) for done in trail.done],
        reads=[tasks_pb2.RecipeRead(field=r.field, path=recipes.templated_path(r.path, names), kind=r.kind, prefix=recipes.templated(r.prefix, names),
                                    suffix=recipes.templated(r.suffix, names)) for r in reads],
        answer=recipes.templated(answer_template, names))
    strings = _strings(recipe)
    if any(redact(s) != s for s in strings):
        log.info("recipe not recorded: it would hold a secret", extra={"task_id": spec.task_id})
        return None
    return recipe


async def record(agent, result: tuple[str, str]) -> tasks_pb2.Recipe | None:
    """The recipe of the agent's run if its answer was grounded and it was not a full replay."""
    grounded = agent.grounding.verification is not None and agent.grounding.verification.grounded
    replayed = agent.replayer is not None and not agent.replayer.outcome.diverged
    if not grounded or replayed:
        return None
    try:
        return await build(agent.page, agent.spec, agent.trail, result[0], result[1], agent.logins.redact)
    except Exception:  # a recipe is an optimization: the task's answer stands without one
        log.exception("recipe not recorded", extra={"task_id": agent.spec.task_id})
        return None
