"""Scripted-LLM replies that read a value off what the browser shows: each takes the page
text out of the agent's prompts (the accessibility snapshot of the page as Chromium
rendered it, scrolling through every window first) and answers with the bare value it
sees (412, "ferris", "$34.99"), never in the indexer's phrasing. Tests compare it with the
value typed by hand from the page, and the indexed answer with its own typed text."""
import re

from tests.scripted_llm import finish

_CONTENT = re.compile(r"^Page content(?: \(part (\d+) of (\d+); scroll for more\))?:\n(.*?)(?=\n\n(?:Done so far:|Step \d+ of))",
                      re.M | re.S)


def _link(line: str) -> str:
    """A snapshot line as its text: `[e3] link "Foo"` -> Foo."""
    m = re.match(r'^\[e\d+\] \w+ "(.*)"', line)
    return m.group(1) if m else line


def reading(compute, data=None):
    """A reply that scrolls to the end of the page, then finishes with str(compute(all
    text)); with `data`, also data(all text) as structured data."""
    seen: dict[int, str] = {}

    def reply(prompt: str) -> dict:
        m = _CONTENT.search(prompt)
        part, parts = (int(m.group(1)), int(m.group(2))) if m.group(1) else (1, 1)
        seen[part] = m.group(3)
        if part < parts:
            return {"action": "scroll", "text": "down"}
        text = "\n".join(seen[k] for k in sorted(seen))
        try:
            return finish(str(compute(text)), data(text) if data else None)
        except (AttributeError, AssertionError, IndexError, ValueError):
            raise AssertionError(f"the answer is not on the page (parts {sorted(seen)}):\n{text}") from None

    return reply


def go(url: str) -> dict:
    """The discovery reply."""
    return {"url": url}


# --- Hacker News: a story is its title link, then "N points by", the user, age, "hide", "N comments" ---

_STORY = (r'\[e\d+\] link\n\[e\d+\] link "(.*)"\n(?:\[e\d+\] link "(.*)"\n)?(\d+) points by\n'
          r'\[e\d+\] link "(.*)"\n\[e\d+\] link "(.*)"\n\[e\d+\] link "hide"\n(?:\[e\d+\] link "(?:past|favorite)"\n)*'
          r'\[e\d+\] link "(\d+) comments"')


def _story(match) -> dict:
    return {"title": match.group(1), "points": int(match.group(3)), "author": match.group(4),
            "comments": int(match.group(6))}


def hn_top(text: str) -> dict:
    """The story ranked "1." on the front page."""
    return _story(re.search(r"^1\.\n" + _STORY, text, re.M))


def hn_item(text: str) -> dict:
    """The story of an item page (no rank)."""
    return _story(re.search(r"^" + _STORY, text, re.M))


def hn_title(text): return hn_top(text)["title"]
def hn_points(text): return hn_top(text)["points"]
def hn_author(text): return hn_top(text)["author"]
def hn_comments(text): return hn_top(text)["comments"]
def item_title(text): return hn_item(text)["title"]
def item_points(text): return hn_item(text)["points"]
def item_author(text): return hn_item(text)["author"]
def item_comments(text): return hn_item(text)["comments"]


# --- Wikipedia: an infobox row is its label line, then its value line ---

def infobox(label: str):
    def read(text: str) -> str:
        lines = text.splitlines()
        for i, line in enumerate(lines):
            if _link(line).lstrip("•\xa0 ").strip() == label:
                return _link(lines[i + 1])
        raise AssertionError(f"no {label!r} on the page")
    return read


# --- Amazon product page ---

def amazon_price(text): return re.search(r"\$[\d,]+\.\d\d", text).group(0)  # the first price shown
def amazon_rating(text): return re.search(r'button "([\d.]+) [\d.]+ out of 5 stars"', text).group(1)
def amazon_reviews(text): return re.search(r'link "([\d,]+) ratings"', text).group(1)
def amazon_stock(text): return re.search(r"In Stock|Only \d+ left in stock[^\n]*", text).group(0)
def amazon_title(text): return re.search(r"^# (.*)$", text, re.M).group(1)


# --- Airbnb search results: a card is "<kind> in <area>", its name, beds, dates, "$N night" and "★ rating" ---

def airbnb_cards(text: str) -> list[dict]:
    cards = re.finditer(r"^(.+ in .+)\n(.+)\n(?:Studio|\d+ bedrooms?) · .*\n.*\n\$(\d+) night\n\$\d+ per night\n★ (New|[\d.]+)",
                        text, re.M)
    return [{"name": c.group(2), "price": int(c.group(3)), "rating": None if c.group(4) == "New" else float(c.group(4))}
            for c in cards]


def airbnb_cheapest(text): return min(airbnb_cards(text), key=lambda c: c["price"])["name"]
def airbnb_best(text): return max(airbnb_cards(text), key=lambda c: c["rating"] or 0)["name"]
def airbnb_first(text): return airbnb_cards(text)[0]["name"]
def airbnb_count(text): return re.search(r"^# (\d+) places in .+$", text, re.M).group(1)
