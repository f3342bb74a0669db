"""Task templates of recipes (services/browser/recording.py records them, the scheduler
matches them, the worker replays them): a task with its parameters lifted out as {p1}, {p2}…

A template matches a task only when its literal text is the task's exactly and every
parameter binds one way only (a lazy and a greedy reading agree): unsure means no match."""
import re
import urllib.parse

PARAM = re.compile(r"(?<!\{)\{(p\d+)\}(?!\})")  # {p1}; never the login placeholders {{username}}
QUOTED = re.compile(r"[\"“”'‘’]([^\"“”'‘’]{1,80})[\"“”'‘’]")
NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*(?![\w])")
WORD = re.compile(r"[^\W\d_][\w'-]{2,}")
STOPWORDS = {"the", "and", "for", "with", "from", "this", "that", "what", "which", "who", "how", "many", "much",
             "price", "page", "click", "type", "enter", "select", "submit", "button", "link", "find", "show", "into",
             "are", "was", "were", "has", "have", "does", "did", "its", "his", "her", "their", "our", "your", "you",
             "search", "field", "box", "then", "on", "of", "in", "is", "it", "at", "to", "a", "an", "or"}


def _word_in(value: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(value)}(?!\w)", text, re.IGNORECASE) is not None


def candidates(task: str, used: list[str]) -> list[str]:
    """What may be a parameter of `task`: quoted strings, numbers, and words also found in
    `used` (typed values, clicked names); longest first."""
    found = [m.group(1).strip() for m in QUOTED.finditer(task)] + NUMBER.findall(task)
    found += [w for w in WORD.findall(task) if w.lower() not in STOPWORDS and any(_word_in(w, u) for u in used)]
    unique: dict[str, str] = {}
    for value in found:
        if value and value.lower() not in unique:
            unique[value.lower()] = value
    return sorted(unique.values(), key=len, reverse=True)


def lift(task: str, params: list[str]) -> tuple[str, dict[str, str]]:
    """The task with each value (whole words, case-insensitive) replaced by its {pN}."""
    names: dict[str, str] = {}
    for value in params:
        name = f"p{len(names) + 1}"
        replaced = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", "{" + name + "}", task, flags=re.IGNORECASE)
        if replaced != task:
            task, names[name] = replaced, value
    return task, names


def templated(text: str, names: dict[str, str], exact: bool = False) -> str:
    """`text` (a target name, a typed value…) with the parameters' values put back as {pN}; in a
    URL (`exact`) only where the value is in the same case: a path is case-sensitive, so "Tab"
    lifted from …/click-tab.html would fill back as …/click-Tab.html, a page no task opens."""
    for name, value in sorted(names.items(), key=lambda item: len(item[1]), reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", "{" + name + "}", text,
                      flags=0 if exact else re.IGNORECASE)
        quoted = urllib.parse.quote(value)
        if quoted != value:
            text = text.replace(quoted, "{" + name + "}")
    return text


def templated_path(path: str, names: dict[str, str]) -> str:
    """A read's CSS path with a parameter's value put back as {pN} inside element ids only
    (`#score_41000004`: pages key ids by the item a task names); tags, classes and positions
    stay as recorded, so a value never moves a read to another row."""
    def segment(part: str) -> str:
        if not part.startswith("#"):
            return part
        for name, value in sorted(names.items(), key=lambda item: len(item[1]), reverse=True):
            if re.fullmatch(r"[\w-]+", value):
                part = re.sub(rf"(?<![A-Za-z0-9]){re.escape(value)}(?![A-Za-z0-9])", "{" + name + "}", part)
        return part
    return " > ".join(segment(part) for part in path.split(" > "))


def _pattern(template: str, greedy: bool) -> re.Pattern[str]:
    parts, seen, at = [], set(), 0
    for match in PARAM.finditer(template):
        parts.append(re.escape(template[at:match.start()]))
        name = match.group(1)
        parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>.+{'' if greedy else '?'})")
        seen.add(name)
        at = match.end()
    parts.append(re.escape(template[at:]))
    return re.compile("".join(parts), re.DOTALL)


def bind(template: str, task: str) -> dict[str, str] | None:
    """The parameters that make `template` read exactly `task`, or None (no match, or more than one reading)."""
    readings = [_pattern(template, greedy).fullmatch(task) for greedy in (False, True)]
    if readings[0] is None or readings[1] is None or readings[0].groupdict() != readings[1].groupdict():
        return None
    params = readings[0].groupdict()
    return params if all(v.strip() == v and v for v in params.values()) else None


def fill(text: str, params: dict[str, str]) -> str:
    return PARAM.sub(lambda m: params.get(m.group(1), m.group(0)), text)


def page_address(url: str) -> str:
    """scheme://host/path: what a recipe's start URL keeps (no query, no fragment)."""
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", "", ""))


def site_of(url: str) -> str:
    return (urllib.parse.urlsplit(url).hostname or "").lower()


def starts_at(start_url: str, params: dict[str, str], url: str) -> bool:
    """A recipe's start URL, its parameters filled, is the page `url` opens (host in any case)."""
    return page_address(fill(start_url, params)) == page_address(url)
