"""en.wikipedia.org: articles (title, lead summary, infobox fields) and questions that
ask one infobox field of an article: "Who designed Quill according to Wikipedia?"."""
import urllib.parse

from services.indexer.question import Question, find, normalize, remove
from services.indexer.sites.base import Adapter, Answer, Query, parse_html, squeeze, text_of

BASE = "https://en.wikipedia.org"
ENTITY = ["english wikipedia", "wikipedia", "en.wikipedia.org", "wikipedia.org", "wiki"]
FILLER = set("""what whats who whom which when where is are was were the a an of on in for to at from by
according as per does did do say says said listed given stated shown article page entry infobox about me tell
give please""".split())

# A settlement's population: the row under "Population" for the whole place (never urban
# or metro, which stay unmatched words and decline the question).
PEOPLE = ["population", "population total", "population city"]
POPULATION = ["population", "how many people live in", "how many people live", "how many inhabitants", "inhabitants",
              "how many residents"]

# Labels that mean nothing without their header ("• Type" under "Government").
GENERIC = {"type", "city", "total", "land", "water", "urban", "metro", "density", "rank", "town", "summer dst"}


def article_url(path: str) -> str | None:
    path = path.split("?")[0].split("#")[0]
    if not path.startswith("/wiki/") or ":" in path[6:] or path == "/wiki/Main_Page" or len(path) <= 6:
        return None
    return BASE + urllib.parse.quote(urllib.parse.unquote(path), safe="/()_,'-.!~*")


class Wikipedia(Adapter):
    host = "en.wikipedia.org"
    max_age_s = 3600.0
    refresh_interval_s = 600.0
    page_name = "article"

    def canonical(self, url: str) -> str | None:
        parts = urllib.parse.urlsplit(url)
        return article_url(parts.path) if self.owns((parts.hostname or "").lower()) else None

    def parse(self, url: str, html: str) -> dict | None:
        """MediaWiki's markup: `#firstHeading`, the article body `#mw-content-text
        .mw-parser-output` (its first paragraph before a heading is the lead), and the
        `.infobox` table's `.infobox-header`, `.infobox-label` and `.infobox-data` cells."""
        tree = parse_html(html)
        title = text_of(tree.css_first("#firstHeading"))
        content = tree.css_first("#mw-content-text .mw-parser-output")
        if not title or content is None:
            return None
        for noise in content.css('sup.reference, .mw-editsection, style, .noprint, [style*="display:none"]'):
            noise.decompose()
        return {"title": title, "summary": _lead(content), "fields": _infobox(content.css_first(".infobox"))}

    def match(self, question: Question, indexed: dict[str, dict]) -> Query | None:
        words, entity = remove(question.words, ENTITY)
        if question.host is not None:
            url = article_url(question.path) if self.owns(question.host) else None
            if url is None:
                return None
            candidates = {url: indexed.get(url)}
        elif entity:
            candidates = dict(indexed)
        else:
            return None
        # The article: named by its title (with or without the disambiguation in parentheses).
        named = []
        for url, data in candidates.items():
            if data is None:
                continue
            for form in _title_forms(data["title"]):
                if find(words, form) >= 0:
                    named.append((url, form))
                    break
        if question.host is not None and not named and question.host and candidates:
            url = next(iter(candidates))
            if candidates[url] is None:  # not indexed yet: the store reads it live, then match again
                return Query(url=url, intent="pending")
            named = [(url, [])]  # "this article": the startUrl names it
        if len({u for u, _ in named}) != 1:
            return None
        url, form = named[0]
        words, _ = remove(words, [" ".join(form)] if form else [])
        data = candidates[url]
        assert data is not None  # named holds indexed articles only
        labels = {}
        for key in data["fields"]:
            labels[key] = key
            if key.endswith(" by"):
                labels[key[:-3]] = key
        people = [key for key in PEOPLE if key in data["fields"]]
        if len(people) == 1:  # "how many people live in X": the one population row there is
            labels.update({phrase: people[0] for phrase in POPULATION if phrase not in labels})
        words, found = remove(words, list(labels))
        keys = {labels[f] for f in found}
        if len(keys) != 1 or any(w not in FILLER for w in words):
            return None
        return Query(url=url, intent="field", args={"field": keys.pop()})

    def answer(self, query: Query, data: dict) -> Answer | None:
        field = data["fields"].get(query.args.get("field"))
        if field is None or not field["value"]:
            return None
        record = {"title": data["title"], "field": field["label"], "value": field["value"],
                  "answer": field["value"], query.args["field"].replace(" ", "_"): field["value"]}
        return Answer(result=field["value"], record=record,
                      read=f'Read "{field["label"]}" from the infobox of {data["title"]}')


def _title_forms(title: str) -> list[list[str]]:
    forms = [normalize(title)]
    if "(" in title:
        forms.append(normalize(title.replace("(", " ").replace(")", " ")))
        forms.append(normalize(title.split("(")[0]))
    if "," in title:  # "Halifax, Nova Scotia" is also "Halifax"
        forms.append(normalize(title.split(",")[0]))
    return forms


def _lead(content) -> str:
    """The first paragraph with text before the first section heading."""
    for node in content.iter():
        if node.tag in ("h2", "h3") or (node.tag == "div" and "mw-heading" in (node.attributes.get("class") or "")):
            return ""
        if node.tag == "p" and text_of(node):
            return text_of(node)
    return ""


def _infobox(box) -> dict[str, dict]:
    """Normalized label -> {label, value}; a row under a header ("• Mayor" under
    "Government") is also keyed by the header ("government mayor"); a label seen twice is
    ambiguous and dropped."""
    fields: dict[str, dict] = {}
    seen, header = set(), ""
    for row in box.css("tr") if box is not None else []:
        if row.css_first(".infobox-header") is not None:
            header = text_of(row.css_first(".infobox-header")).split("(")[0]
            continue
        label, value = row.css_first(".infobox-label"), row.css_first(".infobox-data")
        if label is None or value is None:
            continue
        for item in value.css("li"):  # a plainlist: one name per line
            item.replace_with(text_of(item) + ", ")
        for br in value.css("br"):
            br.replace_with("; ")
        raw = text_of(label)
        name = squeeze(raw.lstrip("•").replace("(s)", "").strip().rstrip(":"))  # "Nickname(s):" -> Nickname
        keys = [" ".join(normalize(name))]
        if raw.startswith("•"):  # a row under a header: "• Mayor" under "Government"
            keys = [" ".join(normalize(f"{header} {name}"))] + ([] if keys[0] in GENERIC else keys)
        for key in keys:
            if key in seen:
                fields.pop(key, None)
                continue
            seen.add(key)
            fields[key] = {"label": name, "value": squeeze(text_of(value).replace(" ;", ";").replace(" ,", ",")).strip(";, ")}
    return fields
