"""A question as the matchers read it: normalized words, and where it starts (startUrl).

Matching is by words, never by parsing HTML: every adapter recognizes an entity (the
site, or the startUrl's host) and an intent, and declines on any word it does not know."""
import dataclasses
import re
import urllib.parse

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})


def normalize(text: str) -> list[str]:
    """Lower-case words; possessive 's dropped, punctuation dropped except inside tokens
    such as news.ycombinator.com, 1.7l, #1 and shut-off."""
    text = text.translate(_APOSTROPHES).lower()
    text = re.sub(r"'s\b", "", text)
    words = []
    for raw in re.split(r"[^a-z0-9#.\-'$]+", text):
        word = raw.strip(".-'")
        if word.startswith("#") and len(word) > 1:
            words.append(word)
        elif word and word != "#":
            words.append(word.replace("'", ""))
    return words


@dataclasses.dataclass
class Question:
    text: str
    words: list[str]
    start_url: str | None
    host: str | None  # the startUrl's host, lower-case, without a leading www. kept as is
    path: str         # the startUrl's path and query ("/" when absent)

    @classmethod
    def parse(cls, text: str, start_url: str | None = None) -> "Question":
        host, path = None, "/"
        if start_url:
            parts = urllib.parse.urlsplit(start_url.strip())
            host = (parts.hostname or "").lower() or None
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        return cls(text=text, words=normalize(text), start_url=start_url, host=host, path=path)

    def has(self, phrase: str) -> bool:
        return find(self.words, phrase.split()) >= 0


def find(words: list[str], phrase: list[str], start: int = 0) -> int:
    """Index of the first occurrence of `phrase` (a word list) in `words`, or -1."""
    n = len(phrase)
    for i in range(start, len(words) - n + 1):
        if words[i:i + n] == phrase:
            return i
    return -1


def remove(words: list[str], phrases) -> tuple[list[str], list[str]]:
    """Removes every occurrence of each phrase (longest first); returns (rest, phrases found)."""
    rest, found = list(words), []
    for phrase in sorted((p.split() for p in phrases), key=len, reverse=True):
        while (i := find(rest, phrase)) >= 0:
            del rest[i:i + len(phrase)]
            found.append(" ".join(phrase))
    return rest, found


def remove_each(words: list[str], table: dict[str, list[str]]) -> tuple[list[str], list[str]]:
    """`remove` for each entry of {name: phrases}; returns (rest, names of the entries found)."""
    names = []
    for name, phrases in table.items():
        words, found = remove(words, phrases)
        if found:
            names.append(name)
    return words, names
