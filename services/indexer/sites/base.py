"""The one small interface every site adapter implements, and what they share.

An adapter names its host and the pages it reads (`canonical`), parses a page's HTML into plain
data (selectolax, never regular expressions), and turns a question into a Query that
names the page it needs; `answer` then reads that page's data. Any doubt is a decline."""
import dataclasses
import json
import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from services.common import schemas
from services.indexer.question import Question


@dataclasses.dataclass
class Query:
    url: str          # the page the answer is read from (canonical https URL)
    intent: str       # what is asked, e.g. "title", "price", "cheapest"
    args: dict = dataclasses.field(default_factory=dict)


@dataclasses.dataclass
class Answer:
    result: str
    record: dict      # the indexed fields behind the answer, for a caller's schema
    read: str         # what was read, for the execution step ("Read the top story")


class Adapter:
    host: str = ""
    hosts: tuple[str, ...] = ()       # other spellings of the host (amazon.com, ...)
    max_age_s: float = 300.0          # never answer from data older than this
    refresh_interval_s: float = 60.0  # the refresher re-reads the site's kept-fresh pages this often
    page_name: str = "page"           # "front page", "article", ... for step messages
    aliases: dict[str, str] = {}      # schema property name -> indexed field name

    def canonical(self, url: str) -> str | None:
        """The canonical URL of a page of this site the adapter reads, else None."""
        raise NotImplementedError

    def parse(self, url: str, html: str) -> dict | None:
        """Plain data read from the page; None if the page is not what was expected."""
        raise NotImplementedError

    def match(self, question: Question, indexed: dict[str, dict]) -> Query | None:
        """The query this question asks, or None (decline). `indexed` maps URL -> data
        of the pages indexed now (to resolve names like an article title)."""
        raise NotImplementedError

    def answer(self, query: Query, data: dict) -> Answer | None:
        raise NotImplementedError

    def owns(self, host: str | None) -> bool:
        return host is not None and (host == self.host or host in self.hosts)


# --- HTML helpers (selectolax) ---

def parse_html(html: str) -> LexborHTMLParser:
    return LexborHTMLParser(html)


def text_of(node: LexborNode | None) -> str:
    """Visible text of a node, whitespace collapsed."""
    if node is None:
        return ""
    return squeeze(node.text(deep=True, separator=""))


def squeeze(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


def to_int(text: str) -> int | None:
    digits = "".join(ch for ch in text if ch.isdigit())
    return int(digits) if digits else None


def to_float(text: str) -> float | None:
    number = "".join(ch for ch in text if ch.isdigit() or ch == ".").strip(".")
    try:
        return float(number)
    except ValueError:
        return None


# --- schemas ---

def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def _typed(value, schema: dict):
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None) if value is not None else "null"
    if value is None or kind is None:
        return value
    if kind == "string":
        return value if isinstance(value, str) else (json.dumps(value) if isinstance(value, bool) else str(value))
    if kind == "integer" and isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        return int(value)
    if kind == "number" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    if kind == "boolean" and isinstance(value, bool):
        return value
    return _UNFIT


_UNFIT = object()


def fill_schema(schema_json: str, record: dict, aliases: dict[str, str]) -> str | None:
    """The caller's schema filled from indexed fields, as JSON; None when the record does
    not cover every property the schema names, or the result does not validate."""
    try:
        validator = schemas.compiled(schema_json)  # refused schemas (and bad JSON) are a decline
    except schemas.BadSchema:
        return None
    schema = json.loads(schema_json)
    props = schema.get("properties") if isinstance(schema, dict) else None
    if not isinstance(props, dict) or not props or schema.get("type") not in (None, "object"):
        return None
    data = {}
    for name, prop in props.items():
        key = aliases.get(_slug(name), _slug(name))
        if key not in record or not isinstance(prop, dict):
            return None
        value = _typed(record[key], prop)
        if value is _UNFIT:
            return None
        data[name] = value
    try:
        if schemas.problems(validator, data, limit=1):
            return None
    except schemas.BadSchema:
        return None
    return json.dumps(data)
