"""The grounding check: are an answer's facts on a page the task visited? No model involved.

Facts are the URLs, quoted strings, numbers and names in the answer text, and every string
and number leaf of the structured content (a leaf of more than a few words is prose: its own
facts are checked). Each must appear in the text of some visited page, compared after
normalizing case, whitespace, HTML entities, quotes/dashes/minus signs and thousands
separators; names and strings match whole words, numbers whole numbers (412 is not in 4120,
27.9 is 27.90). A fact that appears nowhere is `unsupported`; an answer is `grounded` when
none is.
"""
import dataclasses
import html
import re
import unicodedata
from collections.abc import Iterator

MAX_FACTS = 40
MAX_FACT_CHARS = 300
PROSE_WORDS = 12  # a structured leaf longer than this is checked fact by fact, like answer text

_URL = re.compile(r"https?://[^\s\"'<>()\[\]{}]+", re.IGNORECASE)
_DOTTED = re.compile(r"(?<![\w.])\d+(?:\.\d+){2,}(?![\w]|\.\d)")  # 3.2.1, 14.08.2026: one fact, not 3.2 and 1
_NUMBER = re.compile(r"(?<![\w.])[-+]?\d{1,3}(?:[,\u00a0\u202f ]\d{3})+(?:\.\d+)?(?!\w)|(?<![\w.])[-+]?\d+(?:\.\d+)?(?!\w)")
_QUOTED = re.compile(r"[\"“”„«»]([^\"“”„«»]{2,300})[\"“”„«»]")
_WORD = r"[A-Z](?:\.|[\w'’&-]*)"
_NAME = re.compile(rf"{_WORD}(?:\s+(?:of|de|da|van|von|the|and|&)?\s*{_WORD})*")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+|\n)$")
_POSSESSIVE = re.compile(r"['’]s$")
_TRAILING = re.compile(r"(?:\s*(?:\.\.\.|…)|[.,;:!?])+$")  # "… title." → "… title"; a cut-off "title…" too
_THOUSANDS = re.compile(r"(?<=\d)[,\u00a0\u202f ](?=\d{3}(?!\d))")
_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u2212": "-", "\u2010": "-",
                       "\u2011": "-", "\u00a0": " "})
# Capitalized words that start answers without naming anything.
_COMMON = {"The", "A", "An", "It", "Its", "This", "That", "These", "Those", "There", "Yes", "No", "According",
           "On", "In", "At", "By", "For", "From", "To", "With", "And", "Or", "But", "As", "Of", "I", "Top", "Title"}


@dataclasses.dataclass(frozen=True)
class Verification:
    grounded: bool
    unsupported: tuple[str, ...] = ()


# A search for the few folded characters: str.translate with a table looks up every character
# of a 200 kB page (~1 ms each).
_FOLDED = re.compile("[" + re.escape("".join(map(chr, _FOLD))) + "]")


def normalize(text: str) -> str:
    """Case, whitespace, entities, typographic quotes/dashes and thousands separators folded."""
    text = unicodedata.normalize("NFKC", html.unescape(text))
    text = _FOLDED.sub(lambda m: _FOLD[ord(m.group(0))], text).casefold()
    text = _THOUSANDS.sub("", text)
    return " ".join(text.split())


def _names(answer: str) -> list[str]:
    names = []
    for match in _NAME.finditer(answer):
        words = [_POSSESSIVE.sub("", word) for word in match.group(0).split()]
        at_start = _SENTENCE_START.search(answer[: match.start()]) is not None
        if at_start and words[0] in _COMMON:
            words = words[1:]
        name = " ".join(words).strip(".'’")
        if not name or (len(words) == 1 and (at_start or name in _COMMON)):
            continue  # one capitalized word opening a sentence is no claim
        names.append(name)
    return names


def answer_facts(answer: str) -> list[str]:
    """What the answer text claims: URLs, quoted strings, numbers and names, in order, deduplicated."""
    urls = [m.group(0).rstrip(".,;:!?") for m in _URL.finditer(answer)]
    rest = _URL.sub(" ", answer)
    quoted = [_TRAILING.sub("", m.group(1)) for m in _QUOTED.finditer(rest)]
    rest = _QUOTED.sub(" ", rest)
    dotted = [m.group(0) for m in _DOTTED.finditer(rest)]
    rest = _DOTTED.sub(" ", rest)
    numbers = [m.group(0).lstrip("+") for m in _NUMBER.finditer(rest)]
    facts = urls + quoted + dotted + numbers + _names(_NUMBER.sub(" ", rest))
    return list(dict.fromkeys(f.strip() for f in facts if f.strip()))


def structured_facts(value: object) -> list[str]:
    """Every string and number leaf of structured content (booleans and nulls claim nothing);
    a leaf of prose (more than PROSE_WORDS words) stands for the facts in it."""
    if isinstance(value, dict):
        return [f for v in value.values() for f in structured_facts(v)]
    if isinstance(value, list):
        return [f for v in value for f in structured_facts(v)]
    if isinstance(value, bool) or value is None:
        return []
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if len(text.split()) > PROSE_WORDS:
        return answer_facts(text)
    return [text] if text else []


def _number_pattern(wanted: str) -> re.Pattern[str]:
    """The number as a whole number on the page: not inside a longer one, trailing zeros of
    its decimals free (34 is 34.00, 27.9 is 27.90)."""
    sign, digits = (wanted[0], wanted[1:]) if wanted[0] in "+-" else ("", wanted)
    whole, _, decimals = digits.partition(".")
    decimals = decimals.rstrip("0")
    body = re.escape(whole) + (r"\." + re.escape(decimals) + "0*" if decimals else r"(?:\.0+)?")
    return re.compile(rf"(?<![\d.]){re.escape(sign)}{body}(?![\d]|\.\d)")


def _text_pattern(wanted: str) -> re.Pattern[str]:
    """Whole words at the edges: "Rust" is not found in "trust", nor 41 in 412; a word run
    into a number ("stars3,218", as inline markup often renders) still ends there."""
    def edge(char: str, look: str) -> str:
        if char.isdigit():
            return rf"(?{look}!\d)"
        return rf"(?{look}![^\W\d_])" if char.isalpha() else ""
    return re.compile(edge(wanted[0], "<") + re.escape(wanted) + edge(wanted[-1], ""))


def _supported(fact: str, pages: "_Pages") -> bool:
    wanted = normalize(fact[:MAX_FACT_CHARS])
    if not wanted:
        return True
    number = re.fullmatch(r"[-+]?\d+(?:\.\d+)?", wanted) is not None
    pattern = _number_pattern(wanted) if number else _text_pattern(wanted)
    return any(pattern.search(page) for page in pages)


class _Pages:
    """The pages' normalized texts, the last visited first (where an answer is usually read),
    each normalized only when a fact is first looked for in it."""

    def __init__(self, texts: list[str]):
        self.texts = [text for text in reversed(texts) if text]
        self.normalized: list[str] = []

    def __iter__(self) -> Iterator[str]:
        yield from self.normalized
        for text in self.texts[len(self.normalized):]:
            self.normalized.append(normalize(text))
            yield self.normalized[-1]


def verify(answer: str, structured: object, page_texts: list[str]) -> Verification:
    """Checks the answer's facts against the visited pages' text."""
    facts = list(dict.fromkeys(answer_facts(answer or "") + structured_facts(structured)))[:MAX_FACTS]
    pages = _Pages(page_texts)
    unsupported = tuple(f for f in facts if not _supported(f, pages))
    return Verification(grounded=not unsupported, unsupported=unsupported)
