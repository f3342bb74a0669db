"""Scripted-LLM replies that answer from what the page shows: each reads the page text
out of the agent's prompts (scrolling through every window first), like a model would.
Used to run the same question on the browser path as on the indexed path."""
import re

from tests.scripted_llm import finish

_CONTENT = re.compile(r"^Page content(?: \(part (\d+) of (\d+); scroll for more\))?:\n(.*?)(?=\n\n(?:Done so far:|Step \d+ of))",
                      re.M | re.S)


def _link(line: str) -> str:
    """A snapshot line as its text: `[e3] link "Foo"` -> Foo."""
    m = re.match(r'^\[e\d+\] \w+ "(.*)"', line)
    return m.group(1) if m else line


def reading(compute, data=None):
    """A reply that scrolls to the end of the page, then finishes with compute(all text);
    with `data`, also data(all text) as structured data."""
    seen: dict[int, str] = {}

    def reply(prompt: str) -> dict:
        m = _CONTENT.search(prompt)
        part, parts = (int(m.group(1)), int(m.group(2))) if m.group(1) else (1, 1)
        seen[part] = m.group(3)
        if part < parts:
            return {"action": "scroll", "text": "down"}
        text = "\n".join(seen[k] for k in sorted(seen))
        try:
            return finish(compute(text), data(text) if data else None)
        except (AttributeError, AssertionError, IndexError, ValueError):
            raise AssertionError(f"the answer is not on the page (parts {sorted(seen)}):\n{text}") from None

    return reply


def go(url: str) -> dict:
    """The discovery reply."""
    return {"url": url}


# --- Hacker News front page ---

def hn_top(text: str) -> dict:
    m = re.search(r'^1\.\n\[e\d+\] link\n\[e\d+\] link "(.*)"\n(?:\[e\d+\] link "(.*)"\n)?(\d+) points by\n'
                  r'\[e\d+\] link "(.*)"\n\[e\d+\] link "(.*)"\n\[e\d+\] link "hide"\n\[e\d+\] link "(\d+) comments"',
                  text, re.M)
    return {"title": m.group(1), "points": int(m.group(3)), "author": m.group(4), "comments": int(m.group(6))}


def hn_item(text: str) -> dict:
    """The story of an item page (no rank)."""
    m = re.search(r'^\[e\d+\] link\n\[e\d+\] link "(.*)"\n(?:\[e\d+\] link "(.*)"\n)?(\d+) points by\n'
                  r'\[e\d+\] link "(.*)"\n\[e\d+\] link "(.*)"\n\[e\d+\] link "hide"\n(?:\[e\d+\] link "(?:past|favorite)"\n)*'
                  r'\[e\d+\] link "(\d+) comments"', text, re.M)
    return {"title": m.group(1), "points": int(m.group(3)), "author": m.group(4), "comments": int(m.group(6))}


def item_points(text): return f'{hn_item(text)["points"]} points'
def item_author(text): return hn_item(text)["author"]
def item_comments(text): return f'{hn_item(text)["comments"]} comments'
def item_title(text): return hn_item(text)["title"]


def hn_title(text): return hn_top(text)["title"]
def hn_points(text): return f'{hn_top(text)["points"]} points'
def hn_author(text): return hn_top(text)["author"]
def hn_comments(text): return f'{hn_top(text)["comments"]} comments'


# --- Wikipedia infobox ---

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
def amazon_rating(text): return re.search(r'button "([\d.]+) [\d.]+ out of 5 stars"', text).group(1) + " out of 5 stars"
def amazon_reviews(text): return re.search(r'link "([\d,]+ ratings)"', text).group(1)
def amazon_stock(text): return re.search(r"In Stock|Only \d+ left in stock[^\n]*", text).group(0)
def amazon_title(text): return re.search(r"^# (.*)$", text, re.M).group(1)


# --- Airbnb search results ---

def airbnb_cards(text: str) -> list[dict]:
    cards = re.finditer(r"^(.+ in .+)\n(.+)\n(?:Studio|\d+ bedrooms?) · .*\n.*\n\$(\d+) night\n\$\d+ per night\n★ (New|[\d.]+)",
                        text, re.M)
    return [{"title": c.group(1), "name": c.group(2), "price": int(c.group(3)),
             "rating": None if c.group(4) == "New" else float(c.group(4))} for c in cards]


def _listing(card: dict, rated: bool = False) -> str:
    rating = f', rated {card["rating"]:.2f}' if rated else ""
    return f'{card["name"]} ({card["title"]}){rating}, ${card["price"]} per night'


def airbnb_cheapest(text): return _listing(min(airbnb_cards(text), key=lambda c: c["price"]))
def airbnb_best(text): return _listing(max(airbnb_cards(text), key=lambda c: c["rating"] or 0), rated=True)
def airbnb_first(text): return _listing(airbnb_cards(text)[0])
def airbnb_count(text): return re.search(r"^# (\d+ places in .+)$", text, re.M).group(1)
