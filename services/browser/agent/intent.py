"""What a task asks of the agent: to act on the page (click, type, check, select …) or only to
read it. A small model tends to `finish` at once, describing what it would do; on a task that
asks to act, finish is held back until something is done (at most REFUSALS turns): it is left
out of the reply schema, and an endpoint that answers finish anyway is told what is not done yet."""
import re

REFUSALS = 2
# Imperative verbs of a task that changes the page. "Do what the page says" (a task whose
# instruction is on the page) counts too: a page's instruction is an action to carry out.
ACT_VERBS = re.compile(
    r"\b(click|tap|press|type|enter|fill|check|uncheck|tick|untick|select|choose|pick|submit|focus|drag|"
    r"toggle|expand|log\s?in|sign\s?in|sign\s?up|add|book|buy|order|send|post|reply|do what)\b", re.I)
READ_ONLY = re.compile(r"^\s*(what|which|who|whom|whose|when|where|why|how|is|are|does|do(?!\s+what)|did|can|list|"
                       r"tell|find|give|name|show|summari[sz]e|read|get)\b", re.I)


def asks_to_act(task: str) -> bool:
    """True when the task is an instruction to change the page, not a question about it."""
    if READ_ONLY.search(task) and not re.search(r"\b(and|then)\s+(click|type|enter|submit|select|check)\b", task, re.I):
        return False
    return ACT_VERBS.search(task) is not None


# A task that gives text to put on the page, or leaves what to do to the page's own instruction.
FILL_VERBS = re.compile(r"\b(type|enter|fill|write|input|do what)\b", re.I)


def asks_to_fill(task: str) -> bool:
    """The task may ask for fields to be filled in (a click that submits them empty is held)."""
    return FILL_VERBS.search(task) is not None


def asks_question(task: str) -> bool:
    """A question about the page (what/who/how many …, or any sentence ending in "?"), not an
    instruction to act or search."""
    return (READ_ONLY.search(task) is not None or task.rstrip().endswith("?")) and not asks_to_act(task)


def not_done_note(task: str) -> str:
    """Sent back instead of accepting a finish on an act task where nothing was done yet."""
    verbs = sorted({m.group(1).lower() for m in ACT_VERBS.finditer(task)} - {"do what"})
    asked = f" ({', '.join(verbs)})" if verbs else ""
    return ("You tried to finish, but you have not done anything on the page yet. The task asks you to act"
            f"{asked}: do it now with a click, type or select action on the right [e..] element. "
            "Finish only after the page shows it is done.")


def repeated_note(done: str, empty: list[str] | None = None) -> str:
    """Sent back instead of doing a type, select or checkbox click again that succeeded on this page;
    `empty`: the fields of the same form still empty."""
    if empty:
        return (f"You already did that ({done}), and it worked. Still empty in the same form: {', '.join(empty)}. "
                "Type into it what the task asks for it, or click the button that submits the form.")
    return (f"You already did that ({done}), and it worked. Do the next part of the task, for example click the "
            "button that submits it, or finish if everything the task asks is done.")


def empty_note(button: str, empty: list[str]) -> str:
    """Sent back instead of a click that would submit a form with fields empty (once a task)."""
    return (f"Not clicked yet: {', '.join(empty)} {'is' if len(empty) == 1 else 'are'} still empty. Type into it "
            f"what the task asks for it first, then click {button}. Click {button} again now only if the task leaves "
            "it empty.")
