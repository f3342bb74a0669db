"""A compact view of the page for the model: URL, title and the interactive/text content of
Playwright's AI aria snapshot, without the structural noise, cut into windows."""
import dataclasses
import re

# Roles that only group other nodes: their children carry the content.
STRUCTURE = {
    "table", "rowgroup", "row", "cell", "gridcell", "generic", "list", "listitem", "group", "region",
    "main", "navigation", "banner", "contentinfo", "complementary", "article", "section", "document",
    "paragraph", "blockquote", "figure", "none", "presentation", "strong", "emphasis", "definition", "term",
    "columnheader", "rowheader", "insertion", "deletion", "time", "superscript", "subscript", "code", "LabelText",
}
INTERACTIVE = {
    "link", "button", "textbox", "searchbox", "checkbox", "radio", "combobox", "option", "menuitem", "tab",
    "slider", "spinbutton", "switch", "listbox", "menuitemcheckbox", "menuitemradio", "treeitem",
}
WINDOW_CHARS = 6000

_NODE = re.compile(r'^(?P<role>[A-Za-z]+)(?: "(?P<name>(?:[^"\\]|\\.)*)")?(?P<attrs>(?: \[[^\]]*\])*)(?::\s*(?P<value>.*))?$')
_ATTR = re.compile(r"\[([^\]=]+)(?:=([^\]]*))?\]")
_KEEP_ATTRS = {"checked", "disabled", "expanded", "selected", "pressed", "level"}


def _unquote(line: str) -> str:
    if len(line) >= 2 and line[0] == line[-1] and line[0] in "'\"":
        return line[1:-1].replace("''", "'")
    return line


def _unwrap(line: str) -> str:
    """YAML quotes a whole key that contains special characters: 'link "a: b" [ref=e1]':"""
    if line[:1] in "'\"" and len(line) > 1:
        end = line.rfind(line[0])
        if end > 0:
            return _unquote(line[: end + 1]) + line[end + 1:]
    return line


def compact_line(raw: str) -> str | None:
    """One aria-snapshot line -> one compact line, or None when it carries nothing."""
    line = _unwrap(raw.strip().removeprefix("- ").strip())
    if not line or line.startswith("/url:") or line.startswith("/placeholder:"):
        return None
    if line.startswith("text:"):
        text = _unquote(line[5:].strip())
        return text if text and text not in {"|", "(", ")", "·", "-"} else None
    match = _NODE.match(line)
    if match is None:
        return line
    role, name, value = match["role"], (match["name"] or "").replace('\\"', '"'), _unquote((match["value"] or "").strip())
    attrs = dict(_ATTR.findall(match["attrs"] or ""))
    ref = attrs.get("ref")
    if role in STRUCTURE:
        text = name or value
        return text or None
    if role == "heading":
        return "#" * int(attrs.get("level") or 2) + " " + (name or value)
    if role == "img":
        return f'img "{name}"' if name else None
    states = "".join(f" [{k}{'=' + v if v else ''}]" for k, v in attrs.items() if k in _KEEP_ATTRS and k != "level")
    label = f' "{name}"' if name else ""
    shown_value = f": {value}" if value else ""
    prefix = f"[{ref}] " if ref else ""
    if not ref:  # not visible or not actionable: keep its words only
        return (name or value) or None if role not in INTERACTIVE else None
    return f"{prefix}{role}{label}{states}{shown_value}"


def compact(snapshot: str) -> str:
    lines = (compact_line(raw) for raw in snapshot.splitlines())
    return "\n".join(line for line in lines if line)


@dataclasses.dataclass
class Observation:
    url: str
    title: str
    content: str
    window: int
    windows: int

    def render(self) -> str:
        where = f" (part {self.window + 1} of {self.windows}; scroll for more)" if self.windows > 1 else ""
        return f"URL: {self.url}\nTitle: {self.title}\nPage{where}:\n{self.content}"


def windowed(text: str, window: int, size: int = WINDOW_CHARS) -> tuple[str, int, int]:
    """Cuts text at line boundaries into windows of about `size` characters."""
    parts, current = [], []
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
    snapshot = await page.aria_snapshot(mode="ai", timeout=10_000)
    content, window, windows = windowed(compact(snapshot), window)
    return Observation(url=page.url, title=await page.title(), content=content, window=window, windows=windows)
