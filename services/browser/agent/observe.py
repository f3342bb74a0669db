"""A compact view of the page for the model: URL, title, and one line per meaningful
thing on it (text, headings, and interactive elements with refs such as [e12]), built by
snapshot.js in one pass over the DOM and cut into windows that `scroll` moves through."""
import dataclasses
import pathlib
import re

from services.browser.agent.grounding import MAX_LINKS, PAGE_CHARS, PAGE_TEXT_JS

SNAPSHOT_JS = (pathlib.Path(__file__).parent / "snapshot.js").read_text()
# One round trip, one layout: the snapshot, the title, and the page's text kept for grounding.
LOOK_JS = f"([limit, maxLinks]) => [({SNAPSHOT_JS.strip()})(), document.title, ({PAGE_TEXT_JS})([limit, maxLinks])]"
WINDOW_CHARS = 3000  # ~1,400 tokens: small models read a short page better, and faster
PASSWORD_FIELD = re.compile(r"\[e\d+\] password\b")  # snapshot.js names <input type=password> so, mid-row too


REF = re.compile(r"\[(e\d+)\]")


def refs_in(content: str) -> tuple[str, ...]:
    """The refs a view names (e.g. e12), in order, each once."""
    return tuple(dict.fromkeys(REF.findall(content)))


# A phrase the task quotes: between quotes that open after a space (or at the start) and close
# before one (or punctuation), so the apostrophe of "What's" never opens one.
QUOTED = re.compile(r"""(?:^|(?<=[\s(:]))["'“‘]([^"“”]{3,160}?)["'”’](?=[\s?.!,;:)]|$)""")
# An item the task names by its position ("the third story", "the top post", "item 3"), and the
# line a page numbers its items with ("3.", as Hacker News' ranks are printed).
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
POSITION = re.compile(r"\b(" + "|".join(ORDINALS) + r")\b|\b(\d{1,2})(?:st|nd|rd|th)\b|\b(top)(?=\s+(?:story|post|item|"
                      r"result|link|entry|article)\b)|(?:\b(?:number|no\.|rank|item|story)\s*#?\s*|#)(\d{1,2})\b", re.I)
NEAR_LINES = 9  # lines shown per mention: a Hacker News story, rank to comments
NEAR_BEFORE = 2  # of them before a quoted phrase (its rank); a position's own line comes first
NEAR_MOST = 2
NUMBER_LINE = re.compile(r"^\d{1,3}\.$")  # a numbered item's own number line, e.g. "5."


def positions(task: str) -> list[int]:
    """The item positions a task names, 1-based, in order."""
    found = []
    for word, nth, top, number in POSITION.findall(task):
        found.append(ORDINALS.index(word.lower()) + 1 if word else 1 if top else int(nth or number))
    return found


def near(text: str, task: str) -> str:
    """Where the whole page (not only the window in view) first mentions each phrase the task
    quotes, or numbers each position it names, with the lines around it: a row's parts (a
    title, its score, its poster, its comments) sit on separate lines, and a small model reads
    them together best when they are shown together."""
    lines = [line.lower() for line in text.splitlines()]
    wanted = [(f'"{p}"', p.lower(), NEAR_BEFORE) for p in dict.fromkeys(p.strip() for p in QUOTED.findall(task))]
    wanted += [(f"item {n}", f"{n}.", 0) for n in dict.fromkeys(positions(task))]
    found: list[str] = []
    for name, needle, before in wanted:
        at = next((i for i, line in enumerate(lines) if (needle in line if before else line == needle)), None)
        if at is not None and len(found) < NEAR_MOST:
            start = max(0, at - before)
            number = next((line for line in lines[start:at] if NUMBER_LINE.match(line)), None)
            name += f" (item number {number.rstrip('.')})" if number else ""
            found.append(f"Where the page mentions {name}:\n" + "\n".join(text.splitlines()[start:start + NEAR_LINES]))
    return "\n\n".join(found)


# An element's line: its ref, role and name (a field's value, after ": ", is never captured).
ELEMENT = re.compile(r'^\[(e\d+)\] ([\w-]+)(?: "([^"\n]*)")?', re.M)


def names(view: str) -> dict[str, str]:
    """Each ref's role and name in a view (e.g. e2 -> 'checkbox "Blue"'), never a field's value."""
    return {ref: f'{role} "{name}"' if name else role for ref, role, name in ELEMENT.findall(view)}


def lines(view: str) -> dict[str, str]:
    """Each ref's whole line in a view: its role, name and state (a field's value, [checked] …)."""
    return {match.group(1): line for line in view.splitlines() if (match := ELEMENT.match(line))}


def ref_id(ref: str) -> str:
    """A ref as a model writes it ("e12", "[e12]", " e12 "), as the snapshot named it (e12)."""
    return ref.strip().strip("[]")


def ref_selector(ref: str) -> str:
    """The CSS selector of an element the last snapshot named `ref` (e.g. e12)."""
    return f'[data-sbref="{ref_id(ref)}"]'


@dataclasses.dataclass
class Observation:
    url: str
    title: str
    content: str
    window: int
    windows: int
    # The page has one password field: a sign-in form. Two or more (choose and confirm a
    # password, change one) make a form the task fills in itself, as signin.FIND_FORM_JS agrees.
    asks_login: bool = False
    page_text: str = ""  # title, URL, innerText and link URLs, for the grounding check
    whole: str = ""  # the whole view, every window

    def render(self, task: str = "") -> str:
        """The window in view, then where the whole page mentions what the task names (near())."""
        where = f" (part {self.window + 1} of {self.windows}; scroll for more)" if self.windows > 1 else ""
        focus = near(self.whole, task) if task else ""
        return f"Current page: {self.url} ({self.title})\nPage content{where}:\n{self.content}" + (
            f"\n\n{focus}" if focus else "")


def windowed(text: str, window: int, size: int = WINDOW_CHARS) -> tuple[str, int, int]:
    """Cuts text at line boundaries into windows of about `size` characters."""
    parts: list[str] = []
    current: list[str] = []
    length = 0
    for line in text.splitlines():
        if current and length + len(line) + 1 > size:
            parts.append("\n".join(current))
            current, length = [], 0
        current.append(line[:size])
        length += len(line) + 1
    parts.append("\n".join(current))
    window = max(0, min(window, len(parts) - 1))
    return parts[window], window, len(parts)


async def observe(page, window: int = 0) -> Observation:
    text, title, page_text = await page.evaluate(LOOK_JS, [PAGE_CHARS, MAX_LINKS])
    content, window, windows = windowed(text, window)
    return Observation(url=page.url, title=title, content=content, window=window, windows=windows,
                       asks_login=len(PASSWORD_FIELD.findall(text)) == 1, page_text=page_text,
                       whole=text)
