"""The text of an indexed page as a browser shows it (an approximation of innerText), for
the grounding check of indexed answers: block elements on their own lines, table cells
apart, inline text run together, scripts and hidden elements left out; then the page's
title and its links' absolute URLs, as the browser path keeps them too."""
import functools
import urllib.parse

from selectolax.lexbor import LexborHTMLParser, LexborNode

MAX_CHARS = 200_000
MAX_LINKS = 500
_SKIP = {"script", "style", "noscript", "template", "svg", "head", "iframe", "canvas", "-comment"}
_CELL = {"td", "th"}
_BLOCK = {"address", "article", "aside", "blockquote", "br", "caption", "center", "dd", "div", "dl", "dt",
          "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
          "hr", "li", "main", "nav", "ol", "option", "p", "pre", "section", "table", "tbody", "tfoot", "thead",
          "tr", "ul"}


def _hidden(node: LexborNode) -> bool:
    attrs = node.attributes
    style = (attrs.get("style") or "").replace(" ", "").lower()
    return "hidden" in attrs or "display:none" in style or (node.tag == "input" and attrs.get("type") == "hidden")


def _body_text(body: LexborNode) -> str:
    """Depth-first without recursion (no page is too deep for it); a separator marks where a
    block or cell ends."""
    parts: list[str] = []
    length = 0
    stack: list[LexborNode | str] = [body]
    while stack and length < MAX_CHARS:
        item = stack.pop()
        if isinstance(item, str):
            text = item
        elif item.tag == "-text":
            text = item.text_content or ""
        elif item.tag in _SKIP or _hidden(item):
            continue
        else:
            end = "\t" if item.tag in _CELL else "\n" if item.tag in _BLOCK else ""
            if end:
                stack.append(end)
            stack.extend(reversed(list(item.iter(include_text=True))))
            continue
        parts.append(text)
        length += len(text)
    return "".join(parts)[:MAX_CHARS]


@functools.lru_cache(maxsize=64)  # a kept page answers many questions between two refreshes
def page_text(url: str, html: str) -> str:
    tree = LexborHTMLParser(html)
    title = tree.css_first("title")
    links = []
    for anchor in tree.css("a[href]")[:MAX_LINKS]:
        try:
            links.append(urllib.parse.urljoin(url, anchor.attributes.get("href") or ""))
        except ValueError:
            continue
    body = _body_text(tree.body) if tree.body is not None else ""
    return "\n".join([title.text() if title is not None else "", body, *links])
