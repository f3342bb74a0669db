"""www.airbnb.com: lodging searches /s/<Place>/homes (listings with name, price per
night, rating, location) and questions about the cheapest, best-rated or first listing,
or how many places a search shows."""
import urllib.parse

from services.indexer.question import Question, find, normalize, remove, remove_each
from services.indexer.sites.base import Adapter, Answer, Query, parse_html, text_of, to_float, to_int

BASE = "https://www.airbnb.com"
POPULAR = ["Lisbon", "Kyoto"]  # the searches kept fresh
ENTITY = ["airbnb.com", "www.airbnb.com", "airbnb"]
INTENTS = {
    "cheapest": ["cheapest", "least expensive", "lowest price", "lowest priced", "lowest-priced", "most affordable",
                 "lowest nightly price", "cheapest nightly price"],
    "best_rated": ["highest rated", "highest-rated", "best rated", "best-rated", "top rated", "top-rated",
                   "highest rating", "best reviewed", "best-reviewed"],
    "first": ["first", "1st"],
    "count": ["how many", "number of"],
}
THING = ["listing", "listings", "place", "places", "stay", "stays", "home", "homes", "rental", "rentals", "result",
         "results", "option", "lodging", "accommodation", "place to stay", "places to stay"]
FILLER = set("""what whats which is are was the a an in on at for to of search results shown listed there me tell
give please show find available airbnb right now currently does do have has its it with and""".split())


def search_url(path: str) -> str | None:
    parts = [p for p in path.split("?")[0].split("/") if p]
    if len(parts) == 3 and parts[0] == "s" and parts[2] == "homes" and parts[1]:
        return f"{BASE}/s/{urllib.parse.quote(urllib.parse.unquote(parts[1]), safe='-')}/homes"
    return None


class Airbnb(Adapter):
    host = "www.airbnb.com"
    hosts = ("airbnb.com",)
    max_age_s = 600.0
    refresh_interval_s = 60.0
    page_name = "search results"
    aliases = {"listing_name": "name", "listing": "name", "nightly_rate": "price", "price_usd": "price",
               "review_count": "reviews", "reviews_count": "reviews", "link": "url", "kind": "title", "type": "title",
               "total": "count", "listings": "count", "number_of_listings": "count"}

    def pages(self) -> list[str]:
        return [f"{BASE}/s/{place}/homes" for place in POPULAR]

    def parse(self, url: str, html: str) -> dict | None:
        tree = parse_html(html)
        heading = text_of(tree.css_first('[data-testid="stays-page-heading"] h1'))
        place = heading.split(" places in ", 1)[1] if " places in " in heading else None
        listings = []
        for position, card in enumerate(tree.css('[data-testid="card-container"]'), 1):
            link = card.css_first('a[href^="/rooms/"]')
            price = to_int(text_of(card.css_first('[data-testid="price-availability-row"] span.a8jt5op')))
            rating_text = text_of(card.css_first("span.ru0q88m"))
            reviews = to_int(rating_text.split("(")[1]) if "(" in rating_text else 0
            href = (link.attributes.get("href") or "") if link else ""
            listings.append({
                "position": position, "name": text_of(card.css_first('[data-testid="listing-card-name"]')),
                "title": text_of(card.css_first('[data-testid="listing-card-title"]')), "price": price,
                "currency": "USD", "rating": None if rating_text in ("", "New") else to_float(rating_text.split("(")[0]),
                "reviews": reviews, "url": urllib.parse.urljoin(BASE, href.split("?")[0]) if href else None,
            })
        if place is None or not listings or any(l["price"] is None or not l["name"] for l in listings):
            return None
        for listing in listings:
            listing["location"] = f'{listing["title"].split(" in ", 1)[-1]}, {place}'
        return {"place": place, "count": to_int(heading.split(" ")[0]), "listings": listings}

    def match(self, question: Question, indexed: dict[str, dict]) -> Query | None:
        words, entity = remove(question.words, ENTITY)
        if question.host is not None:
            url = search_url(question.path) if self.owns(question.host) else None
            if url is None:
                return None
            if indexed.get(url) is None:
                return Query(url=url, intent="pending")
            searches = {url: indexed[url]}
        elif entity:
            searches = {u: d for u, d in indexed.items() if d is not None}
        else:
            return None
        named = [u for u, d in searches.items() if find(words, normalize(d["place"])) >= 0]
        if question.host is not None and not named:
            named = list(searches)
        if len(named) != 1:
            return None
        words, _ = remove(words, [" ".join(normalize(searches[named[0]]["place"]))])
        words, intents = remove_each(words, INTENTS)
        words, things = remove(words, THING)
        if len(intents) != 1 or not things or any(w not in FILLER for w in words):
            return None
        return Query(url=named[0], intent=intents[0])

    def answer(self, query: Query, data: dict) -> Answer | None:
        listings = data["listings"]
        if query.intent == "count":
            return Answer(result=f'{data["count"]} places in {data["place"]}', record={"count": data["count"],
                          "place": data["place"]}, read="Counted the listings")
        if query.intent == "cheapest":
            low = min(l["price"] for l in listings)
            chosen = [l for l in listings if l["price"] == low]
        elif query.intent == "best_rated":
            high = max(l["rating"] or 0 for l in listings)
            chosen = [l for l in listings if l["rating"] == high]
        else:
            chosen = listings[:1]
        if len(chosen) != 1:  # a tie: which one the browser would pick is not clear
            return None
        top = chosen[0]
        result = (f'{top["name"]} ({top["title"]}), rated {top["rating"]:.2f}, ${top["price"]} per night'
                  if query.intent == "best_rated" and top["rating"] else f'{top["name"]} ({top["title"]}), ${top["price"]} per night')
        record = {**top, "price_per_night": top["price"], "nightly_price": top["price"], "place": data["place"]}
        read = {"cheapest": "Compared the nightly prices", "best_rated": "Compared the ratings",
                "first": "Read the first listing"}[query.intent]
        return Answer(result=result, record=record, read=f"{read} of {len(listings)} listings")
