"""www.amazon.com: product pages /dp/<ASIN> (title, price, currency, rating, review
count, availability) and questions about one product's price, rating, reviews or stock."""
from services.indexer.question import Question, normalize, remove, remove_each
from services.indexer.sites.base import Adapter, Answer, Query, parse_html, text_of, to_float, to_int

BASE = "https://www.amazon.com"
POPULAR = ["B0D7K3LQ9X", "B0C9XW2M4R", "B0F1TQ8ZJH"]  # the products kept fresh
ENTITY = ["amazon.com", "amazon", "www.amazon.com", "amazon us"]
FIELDS = {
    "price": ["how much does", "how much is", "how much", "price", "cost", "costs", "priced", "sell for", "selling for"],
    "rating": ["star rating", "average rating", "customer rating", "rating", "rated", "stars", "how many stars"],
    "reviews": ["how many reviews", "how many ratings", "number of reviews", "number of ratings", "review count",
                "rating count", "reviews", "ratings"],
    "availability": ["in stock", "available", "availability", "stock status", "can i buy"],
    "title": ["full title", "product title", "full name", "title", "called"],
}
FILLER = set("""what whats is are was the a an of on at for to in it its this that product item listing page does
do did currently current right now today me tell give please price. listed shown there does have has who which
out 5 five on""".split())
SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP"}


def product_url(path: str) -> str | None:
    parts = [p for p in path.split("?")[0].split("/") if p]
    if "dp" in parts and parts.index("dp") + 1 < len(parts):
        asin = parts[parts.index("dp") + 1].upper()
        if len(asin) == 10 and asin.isalnum():
            return f"{BASE}/dp/{asin}"
    return None


def _named(words: list[str], data: dict) -> bool:
    """The question names the product: its brand, and a word of its title that says what it is."""
    brand = normalize(data["brand"])
    title_words = set(normalize(data["title"])) - set(brand) - FILLER - {"with", "and", "for"}
    return bool(brand) and all(b in words for b in brand) and any(w in title_words for w in words)


class Amazon(Adapter):
    host = "www.amazon.com"
    hosts = ("amazon.com", "smile.amazon.com")
    max_age_s = 600.0
    refresh_interval_s = 60.0
    page_name = "product page"
    aliases = {"cost": "price", "stars": "rating", "average_rating": "rating", "reviews_count": "reviews",
               "rating_count": "reviews", "ratings_count": "reviews", "product_title": "title", "product_name": "title",
               "stock": "availability", "available": "in_stock"}

    def pages(self) -> list[str]:
        return [f"{BASE}/dp/{asin}" for asin in POPULAR]

    def parse(self, url: str, html: str) -> dict | None:
        tree = parse_html(html)
        title = text_of(tree.css_first("#productTitle"))
        price_node = tree.css_first("#corePrice_feature_div .a-price .a-offscreen") or \
            tree.css_first("#corePriceDisplay_desktop_feature_div .a-price .a-offscreen")
        if not title or price_node is None:
            return None
        price_text = text_of(price_node)
        rating_node = tree.css_first("#acrPopover")
        rating = to_float((rating_node.attributes.get("title") or "").split(" out of")[0]) if rating_node else None
        reviews = to_int(text_of(tree.css_first("#acrCustomerReviewText")))
        brand = text_of(tree.css_first("#bylineInfo")).removeprefix("Visit the ").removesuffix(" Store")
        return {"asin": url.rsplit("/", 1)[-1], "title": title, "brand": brand, "price": to_float(price_text),
                "price_text": price_text, "currency": SYMBOLS.get(price_text[:1], None), "rating": rating,
                "reviews": reviews, "availability": text_of(tree.css_first("#availability")) or None}

    def match(self, question: Question, indexed: dict[str, dict]) -> Query | None:
        words, entity = remove(question.words, ENTITY)
        if question.host is not None:
            url = product_url(question.path) if self.owns(question.host) else None
            if url is None:
                return None
            if indexed.get(url) is None:
                return Query(url=url, intent="pending")
            products = {url: indexed[url]}
        elif entity:
            products = {u: d for u, d in indexed.items() if d is not None}
        else:
            return None
        words, fields = remove_each(words, FIELDS)
        if len(fields) != 1:
            return None
        # Which product: the startUrl's, or the one whose brand and another title word are named.
        named = list(products) if question.host is not None else [u for u, d in products.items() if _named(words, d)]
        if len(named) != 1:
            return None
        title_words = set(normalize(products[named[0]]["title"]))
        if any(w not in FILLER and w not in title_words for w in words):
            return None
        return Query(url=named[0], intent=fields[0])

    def answer(self, query: Query, data: dict) -> Answer | None:
        value = data.get(query.intent)
        if value is None:
            return None
        result = {"price": data["price_text"], "rating": f"{data['rating']} out of 5 stars",
                  "reviews": f"{data['reviews']:,} ratings", "availability": data["availability"],
                  "title": data["title"]}[query.intent]
        record = {**data, "name": data["title"], "review_count": data["reviews"], "ratings": data["reviews"],
                  "in_stock": data["availability"].lower().startswith(("in stock", "only")) if data["availability"] else None}
        return Answer(result=result, record=record, read=f"Read the {query.intent} of {data['brand'] or 'the product'}")
