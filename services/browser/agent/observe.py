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


def ref_selector(ref: str) -> str:
    """The CSS selector of an element the last snapshot named `ref` (e.g. e12)."""
    return f'[data-sbref="{ref.strip().strip("[]")}"]'


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

    def render(self) -> str:
        where = f" (part {self.window + 1} of {self.windows}; scroll for more)" if self.windows > 1 else ""
        return f"Current page: {self.url} ({self.title})\nPage content{where}:\n{self.content}"


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
                       asks_login=len(PASSWORD_FIELD.findall(text)) == 1, page_text=page_text)
