"""Finds secret values in text however a page, a URL or a JSON document spells them: each
character of a secret may appear as itself or as any of its encodings — HTML entities (named,
decimal, hex), JSON and JavaScript escapes (\\" \\uXXXX, surrogate pairs, \\xHH), percent-encoded
UTF-8 bytes (either case) and `+` for a space — in any mixture. Structured data is redacted
value by value, never by editing its JSON text."""
import html.entities
import re

REDACTED = "[redacted]"
JSON_SHORT = {'"': '\\"', "\\": "\\\\", "/": "\\/", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _entity_names() -> dict[str, list[str]]:
    """Character -> its named HTML references (`&amp;`, `&amp`, `&AMP;`, …), longest first."""
    names: dict[str, list[str]] = {}
    for name, text in html.entities.html5.items():
        if len(text) == 1:
            names.setdefault(text, []).append("&" + name)
    return {c: sorted(found, key=len, reverse=True) for c, found in names.items()}


ENTITY_NAMES = _entity_names()


def char_pattern(c: str) -> str:
    """A regular expression matching one character in any of the spellings above."""
    code = ord(c)
    utf16 = c.encode("utf-16-be")
    alternatives = [
        re.escape(c),
        *(re.escape(name) for name in ENTITY_NAMES.get(c, [])),
        f"&#0*{code};?",
        f"&#[xX]0*(?i:{code:x});?",
        "".join(f"\\\\u(?i:{int.from_bytes(utf16[i:i + 2], 'big'):04x})" for i in range(0, len(utf16), 2)),
        "".join(f"%(?i:{b:02x})" for b in c.encode()),
    ]
    if code < 256:
        alternatives.append(f"\\\\x(?i:{code:02x})")
    if c in JSON_SHORT:
        alternatives.append(re.escape(JSON_SHORT[c]))
    if c == " ":
        alternatives.append(r"\+")
    return "(?:" + "|".join(alternatives) + ")"


def secret_pattern(secret: str) -> re.Pattern:
    return re.compile("".join(char_pattern(c) for c in secret))


class Redactor:
    def __init__(self, secrets: set[str]):
        # Longest first, so a secret that contains another is redacted whole.
        self.patterns = [secret_pattern(s) for s in sorted(filter(None, secrets), key=len, reverse=True)]

    def text(self, text: str) -> str:
        for pattern in self.patterns:
            text = pattern.sub(REDACTED, text)
        return text

    def data(self, value: object) -> object:
        """A JSON-like value with every string (keys included) redacted; a number that spells a
        secret becomes the redaction marker; booleans and null are left alone."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {self.text(str(k)): self.data(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.data(v) for v in value]
        if isinstance(value, (int, float)) and not isinstance(value, bool) and self.text(str(value)) != str(value):
            return REDACTED
        return value
