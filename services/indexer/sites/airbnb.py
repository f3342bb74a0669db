"""www.airbnb.com: lodging searches /s/<Place>/homes (listings with name, price per
night, rating, location) and questions about the cheapest, best-rated or first listing,
or how many places a search shows."""
import urllib.parse

from services.indexer.question import Question, find, normalize, remove, remove_each
from services.indexer.sites.base import Adapter, Answer, Query, parse_html, squeeze, text_of, to_float, to_int
from services.indexer.sites.money import split_price

BASE = "https://www.airbnb.com"
ENTITY = ["airbnb.com", "www.airbnb.com", "airbnb"]
INTENTS = {
    "cheapest": ["cheapest", "on a budget", "least expensive", "lowest price", "lowest priced", "lowest-priced", "most affordable",
                 "lowest nightly price", "cheapest nightly price"],
    "best_rated": ["highest rated", "highest-rated", "best rated", "best-rated", "top rated", "top-rated",
                   "highest rating", "best reviewed", "best-reviewed"],
    "first": ["first", "1st"],
    "count": ["how many", "number of"],
}
THING = ["listing", "listings", "place", "places", "stay", "stays", "home", "homes", "rental", "rentals", "result",
         "results", "option", "lodging", "accommodation", "place to stay", "places to stay"]
FILLER = set("""what whats which is are was the a an in on at for to of search results shown listed there me tell
give please show find available airbnb right now currently does do have has its it with and where should i""".split())


def place_of(url: str) -> str:
    """The place a search URL names: /s/Lisbon--Portugal/homes -> Lisbon."""
    return urllib.parse.unquote(url.split("/s/", 1)[1].split("/")[0]).split("--")[0].replace("-", " ")


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
    aliases = {"listing_name": "name", "listing": "name", "nightly_rate": "price",
               "review_count": "reviews", "reviews_count": "reviews", "link": "url", "kind": "title", "type": "title",
               "total": "count", "listings": "count", "number_of_listings": "count"}

    def canonical(self, url: str) -> str | None:
        parts = urllib.parse.urlsplit(url)
        return search_url(parts.path) if self.owns((parts.hostname or "").lower()) else None

    def parse(self, url: str, html: str) -> dict | None:
        """Airbnb's search results by their schema.org and test ids: each
        `[itemprop=itemListElement]` holds `[data-testid=listing-card-title]` ("Room in
        Arroios"), `-name`, `price-availability-row` (the nightly price in the listing's own
        currency) and the rating's spoken text ("4.93 out of 5 average rating, 214
        reviews"); the place is the search URL's; the count is the heading's leading number."""
        tree = parse_html(html)
        listings = [_listing(position, item) for position, item in enumerate(tree.css('[itemprop="itemListElement"]'), 1)]
        if not listings or any(not listing["name"] for listing in listings):
            return None
        place = place_of(url)
        for listing in listings:
            listing["location"] = f'{listing["title"].split(" in ", 1)[-1]}, {place}'
        heading = text_of(tree.css_first('[data-testid="stays-page-heading"] h1')).split(" ")[0]
        count = to_int(heading) if heading.replace(",", "").isdigit() else None  # not "Over 1,000"
        return {"place": place, "count": count, "listings": listings}

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
        if len(named) > 1:  # "Lisbon" and "Lisbon--Portugal" both indexed: the plain place's search
            named = [u for u in named if "--" not in u]
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
            if data["count"] is None:
                return None
            return Answer(result=f'{data["count"]} places in {data["place"]}', record={"count": data["count"],
                          "place": data["place"]}, read="Counted the listings")
        if query.intent == "cheapest":
            if any(listing["price"] is None for listing in listings) or len({listing["currency"] for listing in listings}) != 1:
                return None  # a price not per night, or in two currencies: not comparable here
            low = min(listing["price"] for listing in listings)
            chosen = [listing for listing in listings if listing["price"] == low]
        elif query.intent == "best_rated":
            high = max(listing["rating"] or 0 for listing in listings)
            chosen = [listing for listing in listings if listing["rating"] == high]
        else:
            chosen = listings[:1]
        if len(chosen) != 1 or chosen[0]["price"] is None:  # a tie: which one the browser would pick is not clear
            return None
        top = chosen[0]
        rated = f', rated {top["rating"]:.2f}' if query.intent == "best_rated" and top["rating"] else ""
        result = f'{top["name"]} ({top["title"]}){rated}, {top["price_text"]} per night'
        record = {**{k: v for k, v in top.items() if k != "price_text"}, "price_per_night": top["price"],
                  "nightly_price": top["price"], "place": data["place"]}
        read = {"cheapest": "Compared the nightly prices", "best_rated": "Compared the ratings",
                "first": "Read the first listing"}[query.intent]
        return Answer(result=result, record=record, read=f"{read} of {len(listings)} listings")


def _listing(position: int, item) -> dict:
    card = item.css_first('[data-testid="card-container"]') or item
    url = (item.css_first('meta[itemprop="url"]') or card).attributes.get("content") or ""
    row = card.css_first('[data-testid="price-availability-row"]')
    price = _nightly(squeeze(row.text(deep=True, separator=" ")) if row is not None else "")
    rating, reviews = _rating(card)
    return {"position": position, "name": text_of(card.css_first('[data-testid="listing-card-name"]')),
            "title": text_of(card.css_first('[data-testid="listing-card-title"]')),
            "price": _whole(price[1][1]) if price else None, "currency": price[1][0] if price else None,
            "price_text": price[0] if price else None, "rating": rating, "reviews": reviews,
            "url": f"https://{url.split('?')[0]}" if url.startswith("www.airbnb.com/rooms/") else None}


def _whole(amount: float) -> float | int:
    return int(amount) if amount.is_integer() else amount


def _nightly(row: str) -> tuple[str, tuple[str, float]] | None:
    """(the price as shown, (currency, amount)) of "$94 night" / "€94 per night"; None
    for a total ("$470 total", "$470 for 5 nights")."""
    words = row.split()
    for i, word in enumerate(words):
        if word == "night" and i > 0:
            shown = words[i - 2] if words[i - 1] == "per" and i > 1 else words[i - 1]
            if (price := split_price(shown)) is not None:
                return shown, price
    return None


def _rating(card) -> tuple[float | None, int]:
    """(rating, review count) from the spoken rating; a new listing has none."""
    for span in card.css("span"):
        text = text_of(span)
        if text.endswith(("reviews", "review")) and " out of 5 average rating" in text:
            return to_float(text.split(" out of")[0]), to_int(text.rsplit(",", 1)[-1]) or 0
    return None, 0
