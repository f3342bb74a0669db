"""Each site adapter reads pages shaped like the real site's (fixtures written by hand
from the real markup, not from our replica): the values below are typed from the fixture."""
import pathlib

from services.indexer.question import Question
from services.indexer.sites.airbnb import Airbnb
from services.indexer.sites.amazon import Amazon
from services.indexer.sites.hn import HackerNews
from services.indexer.sites.wikipedia import Wikipedia

FIXTURES = pathlib.Path(__file__).parent / "fixtures"
LISBON = "https://www.airbnb.com/s/Lisbon--Portugal/homes"


def page(name: str) -> str:
    return (FIXTURES / name).read_text()


def ask(adapter, url: str, fixture: str, question: str, start_url: str | None = None):
    """The adapter's answer to a question about the fixture indexed at url, or None."""
    indexed = {url: adapter.parse(url, page(fixture))}
    query = adapter.match(Question.parse(question, start_url), indexed)
    return adapter.answer(query, indexed[query.url]) if query is not None else None


def test_hn_front_page_stories_come_from_athing_rows_and_their_subline():
    stories = HackerNews().parse("https://news.ycombinator.com/", page("hn_front.html"))["stories"]
    assert [(s["rank"], s["title"]) for s in stories] == [
        (1, "A look at the io_uring zero-copy receive path"), (2, "Ask HN: How do you keep a home lab quiet?"),
        (3, "Tidewater (YC S23) Is Hiring a Staff Database Engineer"),
        (4, "Show HN: A 2 KB virtual machine for microcontrollers")]
    assert stories[0] | {"age": None} == {
        "id": "42917301", "rank": 1, "title": "A look at the io_uring zero-copy receive path",
        "url": "https://lwn.net/Articles/1002321/", "site": "lwn.net", "points": 637, "author": "jsnell",
        "age": None, "comments": 1204}
    assert (stories[1]["url"], stories[1]["comments"]) == ("https://news.ycombinator.com/item?id=42918855", 1)
    assert [stories[2][k] for k in ("points", "author", "comments")] == [None, None, None]  # a job: no subline
    assert stories[3]["comments"] == 0  # "discuss"


def test_hn_item_page_is_its_story_and_not_its_comments():
    data = HackerNews().parse("https://news.ycombinator.com/item?id=42918855", page("hn_item.html"))
    assert data["story"]["title"] == "Ask HN: How do you keep a home lab quiet?"
    assert (data["story"]["points"], data["story"]["author"], data["story"]["comments"]) == (88, "fanless", 1)


def test_hn_answers_from_the_real_front_page():
    front = "https://news.ycombinator.com/"
    assert ask(HackerNews(), front, "hn_front.html", "How many comments does the top story on HN have?").result \
        == "1204 comments"
    both = ask(HackerNews(), front, "hn_front.html", "Give me the top story on Hacker News and its points")
    assert both.result == "A look at the io_uring zero-copy receive path, 637 points"


def test_hn_reads_only_its_real_front_page_paths():
    hn = HackerNews()
    assert [hn.canonical(u) for u in ("https://news.ycombinator.com/news", "https://news.ycombinator.com/index.html",
                                      "https://news.ycombinator.com/item?id=42918855")] \
        == ["https://news.ycombinator.com/", None, "https://news.ycombinator.com/item?id=42918855"]
    assert hn.match(Question.parse("What is the top story?", "https://news.ycombinator.com/index.html"), {}) is None


def test_wikipedia_infobox_rows_and_lead():
    data = Wikipedia().parse("https://en.wikipedia.org/wiki/Lua_(programming_language)", page("wikipedia_language.html"))
    assert data["title"] == "Lua (programming language)"
    assert data["summary"].startswith("Lua (/ˈluːə/; from Portuguese: lua meaning moon) is a lightweight, high-level")
    assert data["fields"]["designed by"]["value"] == "Roberto Ierusalimschy, Waldemar Celes, Luiz Henrique de Figueiredo"
    assert data["fields"]["first appeared"]["value"] == "1993"  # the hidden date and "31 years ago" left out
    assert data["fields"]["license"]["value"] == "MIT"           # the footnote left out


def test_wikipedia_settlement_rows_under_headers():
    fields = Wikipedia().parse("https://en.wikipedia.org/wiki/Halifax,_Nova_Scotia", page("wikipedia_city.html"))["fields"]
    assert fields["nickname"]["value"] == "HRM, K-Town (historical)"  # "Nickname(s):"
    assert fields["government mayor"]["value"] == fields["mayor"]["value"] == "Andy Fillmore"
    assert fields["population total"]["value"] == "439,819" and "total" not in fields
    halifax = "https://en.wikipedia.org/wiki/Halifax,_Nova_Scotia"
    assert ask(Wikipedia(), halifax, "wikipedia_city.html", "How many people live in Halifax?", halifax).result \
        == "439,819"
    assert ask(Wikipedia(), halifax, "wikipedia_city.html", "What is the urban population of Halifax?", halifax) is None


def test_amazon_price_to_pay_is_not_the_struck_list_price():
    data = Amazon().parse("https://www.amazon.com/dp/B0CXR4T2LM", page("amazon_product.html"))
    assert data == {"asin": "B0CXR4T2LM",
                    "title": "Brightwell French Press Coffee Maker, 34 oz Double-Wall Stainless Steel, 4-Level "
                             "Filtration, Brushed",
                    "brand": "Brightwell", "price": 27.95, "price_text": "$27.95", "currency": "USD", "rating": 4.6,
                    "reviews": 3218, "availability": "In Stock"}


def test_amazon_price_from_its_parts_when_the_offscreen_text_is_empty():
    data = Amazon().parse("https://www.amazon.com/dp/B0D1DESK72", page("amazon_product_parts.html"))
    assert (data["price"], data["price_text"], data["currency"]) == (1249.0, "$1,249.00", "USD")
    assert (data["brand"], data["rating"], data["reviews"]) == ("Tessel", 4.1, 1062)
    assert data["availability"] == "Only 2 left in stock - order soon."


def test_airbnb_listings_by_test_ids_in_their_own_currency():
    data = Airbnb().parse(LISBON, page("airbnb_search.html"))
    assert data["place"] == "Lisbon" and data["count"] is None  # "Over 1,000 places": no exact count
    assert [(listing["name"], listing["price"], listing["currency"], listing["rating"], listing["reviews"]) for listing in data["listings"]] == [
        ("Tiled flat with a balcony over Rua Augusta", 118, "EUR", 4.88, 342),
        ("Bright room near the Miradouro da Graça", 61, "EUR", 4.95, 88),  # the discounted price, not the original
        ("Industrial loft two minutes from the river", 96, "EUR", None, 0),  # new: no rating
        ("Family house with a garden near the monastery", 1040, "EUR", 4.71, 19)]
    assert data["listings"][0]["url"] == "https://www.airbnb.com/rooms/912304451"


def test_airbnb_answers_in_the_listing_currency_and_declines_what_the_page_does_not_say():
    cheapest = ask(Airbnb(), LISBON, "airbnb_search.html", "cheapest listing", LISBON)
    assert cheapest.result == "Bright room near the Miradouro da Graça (Room in Graça), €61 per night"
    assert cheapest.record["currency"] == "EUR"
    assert ask(Airbnb(), LISBON, "airbnb_search.html", "How many listings does the search show?", LISBON) is None
    # Prices shown as stay totals are not nightly prices: no cheapest per night.
    assert ask(Airbnb(), LISBON, "airbnb_search_totals.html", "cheapest listing", LISBON) is None
    assert ask(Airbnb(), LISBON, "airbnb_search_totals.html", "How many listings does the search show?", LISBON).result \
        == "18 places in Lisbon"
