"""A question about something the page names (a quoted phrase, an item's position) is first
asked of only the lines where the whole page mentions it (observe.near): a prompt about a tenth
of the page's size, which small models read right far more often than the whole page."""
from services.browser.agent import prompt
from services.browser.agent.llm import Model
from services.browser.agent.observe import ELEMENT, QUOTED, Observation
from services.common.grounding import verify

SHARE = 4  # worth a call of its own when those lines are at most a quarter of the page's view


async def answer(model: Model, task: str, view: Observation, lines: str) -> str | None:
    """The answer read from `lines` (observe.near of the view); None when the model finds no
    answer there, only repeats what the task quoted (a small model's usual miss: the title
    asked about, given back), or names a fact those lines do not show (the grounding check,
    held to the lines it read)."""
    reply = await model.ask(prompt.EXTRACT, prompt.extract_prompt(task, view.url, view.title, lines),
                            prompt.EXTRACT_SCHEMA, "answer")
    found = reply["answer"].strip()
    if not found or found.lower() in " ".join(QUOTED.findall(task)).lower() or not verify(found, None, [lines]).grounded:
        return None
    return whole_name(found, lines)


def whole_name(found: str, lines: str) -> str:
    """An element's name cut short (a title without its "Show HN:"), given back whole: when the
    answer is most of exactly one element name in the lines. A part such as "24" of "24
    comments" stays as it is."""
    names = [name for _, _, name in ELEMENT.findall(lines)
             if name and found.lower() in name.lower() and len(found) * 2 >= len(name)]
    return names[0] if len(set(names)) == 1 else found
