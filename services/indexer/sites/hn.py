"""news.ycombinator.com: the front page's stories (rank, title, url, site, points,
author, age, comments) and item pages (the same fields of one story); questions about
the top story, or about the story of an item page given as startUrl."""
import urllib.parse

from services.indexer.question import Question, remove, remove_each
from services.indexer.sites.base import Adapter, Answer, Query, parse_html, text_of, to_int

FRONT = "https://news.ycombinator.com/"
FRONT_PATHS = ("/", "/news")
ENTITY = ["hacker news", "hackernews", "hn", "news.ycombinator.com", "ycombinator news", "y combinator news"]

# "top story": some word that says rank 1 is required; a thing is optional ("#1 on HN").
# An item page (startUrl .../item?id=N) is "this story": no rank word allowed.
RANK_ONE = ["top", "first", "1st", "#1", "number one", "number 1", "no. 1", "no.1", "no 1", "leading", "top-ranked",
            "highest-ranked", "highest ranked", "top ranked", "first-ranked"]
THING = ["story", "post", "item", "submission", "article", "entry", "thing", "headline", "news item", "this"]
# Each field's cue words; no cue means the title. (Where a story links to is not asked here:
# the page shows it only as a link target, so it is left to the browser; schemas may name `url`.)
FIELDS = {
    "points": ["points", "point", "score", "upvotes", "votes", "how many points", "number of points"],
    "author": ["who posted", "who submitted", "who shared", "who wrote", "posted by", "submitted by", "author",
               "submitter", "username of the poster", "by whom"],
    "comments": ["how many comments", "number of comments", "comment count", "comments count", "comments"],
    "title": ["title", "headline", "called", "named", "name"],
}
FILLER = set("""what whats which is are was the a an on of at in from for to right now currently current today
moment this me tell give please can you could i know want see do does did have has it its there here
page front frontpage homepage main site website listed ranked ranks sits sit get find look up how many
whom""".split())
EXACT = {"title": "the title", "points": "the points", "author": "who posted it", "comments": "the comment count"}
ALIASES = {"score": "points", "upvotes": "points", "user": "author", "by": "author", "submitter": "author",
           "poster": "author", "link": "url", "href": "url", "comment_count": "comments", "comments_count": "comments",
           "num_comments": "comments", "descendants": "comments", "domain": "site", "position": "rank",
           "headline": "title", "name": "title"}


def item_id(url_or_path: str) -> str | None:
    """The id of an item page URL or path (/item?id=41000001), else None."""
    parts = urllib.parse.urlsplit(url_or_path)
    if parts.path != "/item":
        return None
    ids = urllib.parse.parse_qs(parts.query).get("id", [])
    return ids[0] if len(ids) == 1 and ids[0].isdigit() else None


class HackerNews(Adapter):
    host = "news.ycombinator.com"
    max_age_s = 120.0
    refresh_interval_s = 15.0
    page_name = "front page"
    aliases = ALIASES

    def canonical(self, url: str) -> str | None:
        parts = urllib.parse.urlsplit(url)
        if (parts.hostname or "").lower() != self.host:
            return None
        if parts.path in FRONT_PATHS and not parts.query:
            return FRONT
        item = item_id(url)
        return f"{FRONT}item?id={item}" if item is not None else None

    def parse(self, url: str, html: str) -> dict | None:
        """HN's own markup: each story is a `tr.athing` (comments are `tr.athing.comtr`) with
        `.rank` and `.titleline > a`; the row after it holds `.subline` (`.score`, `.hnuser`,
        `.age`, the comments link). A job post has no `.subline`."""
        tree = parse_html(html)
        item = item_id(url)
        stories = []
        for row in tree.css("tr.athing"):
            if "comtr" in (row.attributes.get("class") or "").split():
                continue
            title_link = row.css_first(".titleline > a")
            rank = to_int(text_of(row.css_first(".rank")))
            if title_link is None or (rank is None and item is None):
                continue
            story = {"id": row.attributes.get("id"), "rank": rank, "title": text_of(title_link),
                     "url": urllib.parse.urljoin(FRONT, title_link.attributes.get("href") or ""),
                     "site": text_of(row.css_first(".sitestr")) or None,
                     **_subline(_next_row(row))}
            stories.append(story)
        if item is not None:  # an item page: its one story, unranked
            found = [s for s in stories if s["id"] == item]
            return {"story": found[0]} if len(found) == 1 else None
        if not stories:
            return None
        stories.sort(key=lambda s: s["rank"])
        return {"stories": stories}

    def match(self, question: Question, indexed: dict[str, dict]) -> Query | None:
        words, entity = remove(question.words, ENTITY)
        item = item_id(question.path) if question.host is not None else None
        if question.host is not None:
            if not self.owns(question.host) or (question.path.split("?")[0] not in FRONT_PATHS and item is None):
                return None
        elif not entity:
            return None
        words, rank = remove(words, RANK_ONE)
        if bool(rank) == (item is not None):  # the front page needs "top"; an item page must not have it
            return None
        words, fields = remove_each(words, FIELDS)
        words, things = remove(words, THING)
        if "who" in words and things:  # "who is the author of the top post": a person behind a story
            words = [w for w in words if w != "who"]
            fields = fields or ["author"]
        if "and" in words:  # "the top story and its points": the title and each field named
            words = [w for w in words if w != "and"]
            fields = ["title"] + [f for f in fields if f != "title"]
        elif len(fields) > 1:
            return None
        if any(w not in FILLER for w in words):  # a bare "who is #1 on HN" may mean a user
            return None
        intent = "+".join(fields) if fields else "title"
        if item is not None:
            url = f"{FRONT}item?id={item}"
            return Query(url=url, intent=intent if indexed.get(url) else "pending")
        return Query(url=FRONT, intent=intent)

    def answer(self, query: Query, data: dict) -> Answer | None:
        if "story" in data:
            top, which = data["story"], "the story"
        elif data["stories"][0]["rank"] == 1:
            top, which = data["stories"][0], "the top story"
        else:
            return None
        fields = query.intent.split("+")
        if any(top[field] is None for field in fields):  # a job post has no points, author or comments
            return None
        if len(fields) == 1:
            value = top[fields[0]]
            result = {"title": top["title"], "points": f"{value} points", "author": str(value),
                      "comments": f"{value} comments"}[fields[0]]
        else:  # "Show HN: …, 412 points, by ferris"
            result = ", ".join({"title": top["title"], "points": f"{top['points']} points", "author": f"by {top['author']}",
                                "comments": f"{top['comments']} comments"}[field] for field in fields)
        read = " and ".join(EXACT[field] for field in fields)
        return Answer(result=result, record=dict(top), read=f"Read {read} of {which}")


def _next_row(row):
    sub = row.next
    while sub is not None and sub.tag != "tr":
        sub = sub.next
    return sub


def _subline(row) -> dict:
    """points, author, age and comments from a story's `.subline` (all None for a job post)."""
    line = row.css_first(".subline") if row is not None else None
    if line is None:
        return {"points": None, "author": None, "age": None, "comments": None}
    comments = None
    for link in line.css("a"):
        label = text_of(link)
        if (link.attributes.get("href") or "").startswith("item?id="):
            comments = 0 if label == "discuss" else (to_int(label) if "comment" in label else comments)
    return {"points": to_int(text_of(line.css_first(".score"))), "author": text_of(line.css_first(".hnuser")) or None,
            "age": text_of(line.css_first(".age")) or None, "comments": comments}
