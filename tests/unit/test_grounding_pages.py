"""The grounding check on real-site markup: the indexer's fixtures (shaped like the real
sites) as the page text, with answers a correct agent would give (grounded) and the same
answers with one fact changed (unsupported). Then every answer the indexer gives on the
replica web must come back grounded on the page it was read from."""
import pathlib

import pytest

from services.common.grounding import verify
from services.indexer.pagetext import page_text
from tests.unit.indexer_questions import ANSWERABLE
from tests.unit.test_indexer_questions import ask, indexer  # noqa: F401 (the fixture)

FIXTURES = pathlib.Path(__file__).parent / "fixtures"


def text(name: str, url: str = "https://example.com/") -> str:
    return page_text(url, (FIXTURES / name).read_text())


# (fixture, a right answer, its structured data or None, the same answer with a wrong fact, that fact)
CASES = [
    ("hn_front.html", 'The top story is "A look at the io_uring zero-copy receive path" with 637 points.', None,
     'The top story is "A look at the io_uring zero-copy receive path" with 673 points.', "673"),
    ("hn_front.html", "It has 1,204 comments; posted by jsnell 5 hours ago.", {"comments": 1204, "age": "5 hours ago"},
     "It has 1,240 comments.", "1,240"),
    ("hn_front.html", "Tidewater (YC S23) Is Hiring a Staff Database Engineer", None,
     "Tidewater (YC S24) Is Hiring a Staff Database Engineer", "YC S24"),
    ("hn_item.html", 'The post "Ask HN: How do you keep a home lab quiet?" has 88 points.', {"points": 88.0},
     'The post "Ask HN: How do you keep a home lab silent?" has 88 points.', "Ask HN: How do you keep a home lab silent"),
    ("amazon_product.html", "$27.95", {"price": 27.95, "currency": "$"}, "$29.95", "29.95"),
    ("amazon_product.html", "It is rated 4.6 out of 5 stars from 3,218 ratings; the list price is $34.99.",
     {"rating": 4.6, "reviews": 3218, "availability": "In Stock"},
     "It is rated 4.6 out of 5 stars from 3,281 ratings.", "3,281"),
    ("wikipedia_city.html", "Halifax's mayor is Andy Fillmore; it was established in 1749.", {"mayor": "Andy Fillmore"},
     "Halifax's mayor is Mike Savage; it was established in 1749.", "Mike Savage"),
    ("wikipedia_city.html", "The population was 439,819 in 2021 (UTC−04:00, area code 902).",
     {"population": 439819, "time_zone": "UTC-04:00"}, "The population was 439,918 in 2021.", "439,918"),
    ("airbnb_search.html", 'The cheapest is "Bright room near the Miradouro da Graça" at €61 per night, rated 4.95.',
     {"price": 61, "rating": 4.95, "reviews": 88}, "The cheapest is the room in Graça at €16 per night.", "16"),
    ("airbnb_search.html", "Home in Belém: €1,040 per night, 3 bedrooms, 4 beds.", {"price_per_night": "€1,040"},
     "Home in Belém: €1,400 per night.", "1,400"),
]


@pytest.mark.parametrize("fixture, answer, data, wrong, fact", CASES)
def test_a_right_answer_on_real_markup_is_grounded_and_a_changed_fact_is_not(fixture, answer, data, wrong, fact):
    page = text(fixture)
    right = verify(answer, data, [page])
    assert right.grounded, right.unsupported
    assert verify(wrong, None, [page]).unsupported == (fact,)


def test_page_text_keeps_cells_apart_inline_text_together_and_skips_scripts():
    html = ("<html><head><title>T</title><script>var secret = 1</script></head><body><table><tr><td>Mayor</td>"
            "<td>Andy <b>Fillmore</b></td></tr></table><p hidden>Invented 999</p><a href='/wiki/X'>x</a></body></html>")
    result = page_text("https://en.wikipedia.org/wiki/Halifax", html)
    assert "Mayor\tAndy Fillmore" in result and "secret" not in result and "999" not in result
    assert result.startswith("T\n") and result.endswith("https://en.wikipedia.org/wiki/X")


async def test_every_indexed_answer_on_the_replica_is_grounded_on_its_page(indexer):  # noqa: F811
    checked = 0
    for question, start_url, _ in ANSWERABLE:
        reply = await ask(indexer, question, start_url)
        if reply.answered:
            assert reply.HasField("verification"), question
            assert reply.verification.grounded, (question, reply.result, list(reply.verification.unsupported))
            checked += 1
    assert checked >= 30
