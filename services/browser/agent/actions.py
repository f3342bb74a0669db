"""What the model may do, as a JSON Schema its replies are constrained to, and how each is done."""
import dataclasses
import json
import urllib.parse

from services.browser.agent.fields import completes
from services.browser.agent.observe import ref_selector

ACTIONS = ("navigate", "click", "type", "select", "scroll", "back", "finish")


def action_schema(user_schema: dict | None, actions: tuple[str, ...] = ACTIONS, refs: tuple[str, ...] = ()) -> dict:
    """One flat object: small to explain, small to decode (a reply is a few dozen tokens).
    `actions`: the ones allowed this turn; `refs`: when given, the only refs a reply may name
    (those on the page in view): an endpoint that decodes under the schema cannot invent one."""
    ref: dict = {"type": "string", "description": "element ref such as e12 (click, type, select)"}
    if refs:
        ref["enum"] = list(refs)
    properties = {
        "action": {"type": "string", "enum": list(actions)},
        "ref": ref,
        "text": {"type": "string", "description": "text to type, option to select, or scroll direction up/down"},
        "url": {"type": "string", "description": "absolute URL (navigate)"},
        "answer": {"type": "string", "description": "the final answer (finish)"},
    }
    if user_schema is not None:
        properties["data"] = user_schema
    return {"type": "object", "properties": properties, "required": ["action"], "additionalProperties": False}


@dataclasses.dataclass
class Action:
    action: str
    ref: str = ""
    text: str = ""
    url: str = ""
    answer: str = ""
    data: object = None

    @classmethod
    def from_reply(cls, reply: dict) -> "Action":
        return cls(**{k: reply[k] for k in ("action", "ref", "text", "url", "answer", "data") if k in reply})

    def brief(self) -> str:
        """How the step appears in the model's own history (never the typed text: it may be secret)."""
        match self.action:
            case "navigate":
                return f"navigate {self.url}"
            case "click" | "select":
                return f"{self.action} {self.ref}"
            case "type":
                return f"type into {self.ref}"
            case "scroll":
                return f"scroll {self.text or 'down'}"
            case _:
                return self.action


def web_url(url: str) -> bool:
    """An http(s) URL: the only kind the agent opens or stays on (never chrome:, view-source:,
    file:, javascript: …)."""
    return urllib.parse.urlsplit(url).scheme in ("http", "https")


class ActionError(Exception):
    """The action could not be carried out (bad ref, element not interactable, …)."""


async def perform(page, action: Action, timeout_ms: int = 8000) -> str:
    """Carries out one browser action; returns a short description for the step summary."""
    if action.action in ("click", "type", "select"):
        if not action.ref:
            raise ActionError(f"{action.action} needs a ref")
        target = page.locator(ref_selector(action.ref))
        label = await _label(target)
    match action.action:
        case "click":
            await target.click(timeout=timeout_ms)
            return f"Clicked {label}"
        case "type":
            await target.fill(action.text, timeout=timeout_ms)
            if await completes(target):  # not a form's first field: Enter would submit the rest empty
                await target.press("Enter", timeout=timeout_ms)
            return f"Typed into {label}"
        case "select":
            await target.select_option(label=action.text, timeout=timeout_ms)
            return f"Selected an option in {label}"
        case "scroll":
            direction = -1 if action.text.strip().lower() == "up" else 1
            await page.mouse.wheel(0, direction * 800)
            return "Scrolled " + ("up" if direction < 0 else "down")
        case "back":
            await page.go_back(timeout=timeout_ms)
            return "Went back"
    raise ActionError(f"unknown action {action.action!r}")


async def _label(locator) -> str:
    try:
        text = (await locator.inner_text(timeout=2000)).strip().splitlines()
    except Exception:
        raise ActionError("no element with that ref on the current page") from None
    return json.dumps(text[0][:60]) if text and text[0] else "the element"
