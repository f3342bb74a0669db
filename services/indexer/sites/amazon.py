"""www.amazon.com: product pages /dp/<ASIN> (title, price, currency, rating, review
count, availability) and questions about one product's price, rating, reviews or stock."""
import urllib.parse

from services.indexer.question import Question, normalize, remove, remove_each
from services.indexer.sites.base import Adapter, Answer, Query, parse_html, text_of, to_float, to_int
from services.indexer.sites.money import split_price

BASE = "https://www.amazon.com"
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
# The price to pay, in the order Amazon's layouts show it (buy box first); a struck-through
# list price (`data-a-strike`) is never it.
PRICE_BLOCKS = ["#corePriceDisplay_desktop_feature_div .a-price.priceToPay", "#corePrice_feature_div .a-price",
                "#corePriceDisplay_desktop_feature_div .a-price", "#apex_desktop .a-price", "#corePrice_desktop .a-price"]
OLD_PRICES = ["#priceblock_dealprice", "#priceblock_ourprice", "#price_inside_buybox"]


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

    def canonical(self, url: str) -> str | None:
        parts = urllib.parse.urlsplit(url)
        return product_url(parts.path) if self.owns((parts.hostname or "").lower()) else None

    def parse(self, url: str, html: str) -> dict | None:
        """Amazon's product page: `#productTitle`, the price block (`.a-price .a-offscreen`
        in `#corePriceDisplay_desktop_feature_div` / `#corePrice_feature_div`, or the older
        `#priceblock_ourprice`), `#acrPopover`'s title, `#acrCustomerReviewText`,
        `#availability`, `#bylineInfo`."""
        tree = parse_html(html)
        title = text_of(tree.css_first("#productTitle"))
        price = _price(tree)
        if not title or price is None:
            return None
        (currency, amount), price_text = price
        rating_node = tree.css_first("#acrPopover")
        rating_text = (rating_node.attributes.get("title") or "") if rating_node else ""
        rating_text = rating_text or text_of(tree.css_first("#acrPopover .a-icon-alt"))
        rating = to_float(rating_text.split(" out of")[0]) if " out of" in rating_text else None
        reviews = to_int(text_of(tree.css_first("#acrCustomerReviewText")))
        byline = text_of(tree.css_first("#bylineInfo"))
        brand = byline.removeprefix("Brand:").removeprefix("Visit the ").removesuffix(" Store").strip()
        return {"asin": url.rsplit("/", 1)[-1], "title": title, "brand": brand, "price": amount,
                "price_text": price_text, "currency": currency, "rating": rating,
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


def _price(tree) -> tuple[tuple[str, float], str] | None:
    """((currency, amount), the price as shown) of the price to pay, or None."""
    for selector in PRICE_BLOCKS:
        for block in tree.css(selector):
            if block.attributes.get("data-a-strike") == "true":
                continue
            shown = text_of(block.css_first(".a-offscreen")) or "".join(
                text_of(block.css_first(part)) for part in (".a-price-symbol", ".a-price-whole", ".a-price-fraction"))
            if (price := split_price(shown)) is not None:
                return price, shown
    for selector in OLD_PRICES:
        shown = text_of(tree.css_first(selector))
        if (price := split_price(shown)) is not None:
            return price, shown
    return None
