"""news.ycombinator.com: the front page's stories (rank, title, url, site, points,
author, age, comments) and questions about the top story."""
import urllib.parse

from services.indexer.question import Question, remove
from services.indexer.sites.base import Adapter, Answer, Query, parse_html, text_of, to_int

FRONT = "https://news.ycombinator.com/"
FRONT_PATHS = ("/", "/news", "/news/", "/index.html")
ENTITY = ["hacker news", "hackernews", "hn", "news.ycombinator.com", "ycombinator news", "y combinator news"]

# "top story": some word that says rank 1 is required; a thing is optional ("#1 on HN").
RANK_ONE = ["top", "first", "1st", "#1", "number one", "number 1", "no. 1", "no.1", "no 1", "leading", "top-ranked",
            "highest-ranked", "highest ranked", "top ranked", "first-ranked"]
THING = ["story", "post", "item", "submission", "article", "entry", "thing", "headline", "news item"]
# Each field's cue words; no cue means the title. (Where a story links to is not asked here:
# the page shows it only as a link target, so it is left to the browser; schemas may name `url`.)
FIELDS = {
    "points": ["points", "point", "score", "upvotes", "votes", "how many points", "number of points"],
    "author": ["who posted", "who submitted", "who shared", "who wrote", "posted by", "submitted by", "author",
               "submitter", "username of the poster", "by whom", "who"],
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


class HackerNews(Adapter):
    host = "news.ycombinator.com"
    max_age_s = 120.0
    refresh_interval_s = 15.0
    page_name = "front page"
    aliases = ALIASES

    def pages(self) -> list[str]:
        return [FRONT]

    def parse(self, url: str, html: str) -> dict | None:
        tree = parse_html(html)
        stories = []
        for row in tree.css("tr.athing"):
            if "comtr" in (row.attributes.get("class") or "").split():
                continue
            title_link = row.css_first("span.titleline > a")
            rank = to_int(text_of(row.css_first("span.rank")))
            if title_link is None or rank is None:
                continue
            href = title_link.attributes.get("href") or ""
            sub = row.next
            while sub is not None and sub.tag != "tr":
                sub = sub.next
            story = {"id": row.attributes.get("id"), "rank": rank, "title": text_of(title_link),
                     "url": urllib.parse.urljoin(FRONT, href), "site": text_of(row.css_first("span.sitestr")) or None,
                     "points": None, "author": None, "age": None, "comments": None}
            if sub is not None:
                story["points"] = to_int(text_of(sub.css_first("span.score"))) if sub.css_first("span.score") else None
                story["author"] = text_of(sub.css_first("a.hnuser")) or None
                story["age"] = text_of(sub.css_first("span.age")) or None
                last = [a for a in sub.css("a") if "item?id=" in (a.attributes.get("href") or "")]
                label = text_of(last[-1]) if last else ""
                story["comments"] = 0 if label == "discuss" else (to_int(label) if "comment" in label else None)
            stories.append(story)
        if not stories:
            return None
        stories.sort(key=lambda s: s["rank"])
        return {"stories": stories}

    def match(self, question: Question, indexed: dict[str, dict]) -> Query | None:
        words, entity = remove(question.words, ENTITY)
        if question.host is not None:
            if not self.owns(question.host) or question.path.split("?")[0] not in FRONT_PATHS:
                return None
        elif not entity:
            return None
        words, rank = remove(words, RANK_ONE)
        if not rank:
            return None
        fields = []
        for field, cues in FIELDS.items():
            words, found = remove(words, cues)
            if found:
                fields.append(field)
        if len(fields) > 1:
            return None
        words, _ = remove(words, THING)
        if any(w not in FILLER for w in words):
            return None
        return Query(url=FRONT, intent=fields[0] if fields else "title")

    def answer(self, query: Query, data: dict) -> Answer | None:
        top = data["stories"][0]
        if top["rank"] != 1:
            return None
        value = top[query.intent]
        if value is None:  # a job post has no points, author or comments
            return None
        result = {"title": top["title"], "points": f"{value} points", "author": str(value),
                  "comments": f"{value} comments"}[query.intent]
        return Answer(result=result, record=dict(top), read=f"Read {EXACT[query.intent]} of the top story")
