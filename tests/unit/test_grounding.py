"""The grounding check on hand-written pages and answers (no model, no browser)."""
from services.common.grounding import answer_facts, normalize, verify

HN_ROW = ('1. Show HN: A tiny B-tree in 300 lines of Rust (github.com/btree-rs) 412 points by ferris '
          '3 hours ago | hide | 42&nbsp;comments\n'
          '6. Why our Postgres vacuum took 11 days (blog.example) 96 points by pgwrangler | 96 comments')


def test_an_answer_copied_from_the_page_is_grounded():
    result = verify('The top story is "Show HN: A tiny B-tree in 300 lines of Rust" by ferris with 412 points.', None, [HN_ROW])
    assert result.grounded and result.unsupported == ()


def test_a_number_not_on_the_page_is_unsupported():
    result = verify("It has 187 comments.", None, [HN_ROW])
    assert not result.grounded and result.unsupported == ("187",)


def test_a_number_is_not_found_inside_a_longer_number():
    assert verify("41", None, ["412 points"]).unsupported == ("41",)
    assert verify("2", None, ["2.5 stars"]).unsupported == ("2",)
    assert verify("2.5", None, ["rated 2.5 stars"]).grounded


def test_thousands_separators_entities_case_and_whitespace_are_normalized():
    page = "Population:&nbsp;12,400 — Designed by  Ilse\nBrandvold"
    assert verify("About 12400 people; designer: ilse brandvold", None, [page]).grounded
    assert verify("12,400", None, ["12 400 inhabitants"]).grounded
    assert normalize("“Quoted” – text") == '"quoted" - text'


def test_a_made_up_name_is_unsupported_but_sentence_openers_are_not_claims():
    result = verify("The author is Grace Hopper.", None, [HN_ROW])
    assert result.unsupported == ("Grace Hopper",)
    assert verify("Yes. According to the page it is popular.", None, [HN_ROW]).grounded


def test_every_structured_leaf_must_appear():
    data = {"title": "Show HN: A tiny B-tree in 300 lines of Rust", "points": 412.0, "hot": True,
            "tags": ["rust", "databases"]}
    result = verify("", data, [HN_ROW])
    assert result.unsupported == ("databases",)


def test_facts_come_from_any_visited_page():
    assert verify("96 points, vacuum took 11 days", None, ["nothing here", HN_ROW]).grounded
    assert not verify("96 points", None, []).grounded


def test_answer_facts_keep_quotes_numbers_and_names_in_order():
    assert answer_facts('"Port Ellery" has 12,400 people and was founded by Ilse Brandvold in 1842.') == [
        "Port Ellery", "12,400", "1842", "Ilse Brandvold"]


# --- Normalisations that real pages need, each checked both ways (right answer in, wrong one out) ---

def test_a_price_given_as_a_number_matches_its_written_form_but_not_another_price():
    page = "Price: $1,299.00 List Price: $34.99"
    assert verify("", {"price": 1299.0}, [page]).grounded
    assert verify("It costs $1,299.00.", {"price": 1299}, [page]).grounded
    assert verify("", {"price": 34.990}, [page]).grounded
    assert verify("", {"price": 1299.5}, [page]).unsupported == ("1299.5",)
    assert verify("", {"price": 34.9}, [page]).unsupported == ("34.9",)


def test_a_minus_sign_and_hyphens_are_folded():
    assert verify("UTC-04:00, a -20% discount", None, ["Time zone UTC\u221204:00 savings \u221220%"]).grounded
    assert verify("-25%", None, ["savings \u221220%"]).unsupported == ("-25",)


def test_a_quoted_title_with_the_sentence_period_inside_the_quotes_is_found():
    page = "1. Why our Postgres vacuum took 11 days (blog.example) 96 points"
    assert verify('The top story is "Why our Postgres vacuum took 11 days."', None, [page]).grounded
    assert verify('The top story is "Why our Postgres vacuum took 12 days."', None, [page]).unsupported \
        == ("Why our Postgres vacuum took 12 days",)


def test_a_possessive_name_is_the_name():
    page = "Halifax Mayor Andy Fillmore"
    assert verify("It is Halifax's mayor, Andy Fillmore.", None, [page]).grounded
    assert verify("It is Dartmouth's mayor, Andy Fillmore.", None, [page]).unsupported == ("Dartmouth",)


def test_names_and_strings_match_whole_words_only():
    page = "I trust the Rustacean community (rusty tools)"
    assert verify("It is written in Rust.", None, [page]).unsupported == ("Rust",)
    assert verify("", {"tag": "rust"}, [page]).unsupported == ("rust",)
    assert verify("", {"tag": "trust"}, [page]).grounded


def test_a_word_run_into_a_number_by_inline_markup_still_ends_there():
    page = "4.6 out of 5 stars3,218 ratings"  # Amazon: adjacent spans, no space between
    assert verify("", {"rating": "4.6 out of 5 stars", "ratings": 3218}, [page]).grounded
    assert verify("", {"ratings": 218}, [page]).unsupported == ("218",)


def test_a_url_is_one_fact_checked_whole():
    page = "A look at io_uring\nhttps://lwn.net/Articles/1002321/"
    assert answer_facts("It links to https://lwn.net/Articles/1002321/.") == ["https://lwn.net/Articles/1002321/"]
    assert verify("It links to https://lwn.net/Articles/1002321/.", None, [page]).grounded
    assert verify("See https://lwn.net/Articles/1002999/", None, [page]).unsupported == ("https://lwn.net/Articles/1002999/",)


def test_a_version_number_is_one_fact():
    page = "Stable release 3.2.1 / 14 August 2026"
    assert answer_facts("Version 3.2.1 came out on 14 August 2026") == ["3.2.1", "14", "2026", "August"]
    assert verify("Version 3.2.1 came out on 14 August 2026", None, [page]).grounded
    assert verify("Version 3.2.4", None, [page]).unsupported == ("3.2.4",)
    assert verify("Version 13.2.1", None, [page]).unsupported == ("13.2.1",)


def test_a_long_structured_leaf_is_prose_and_stands_for_its_facts():
    page = "Port Ellery was founded by Ilse Brandvold in 1842. Population 12,400."
    summary = "A harbour town founded in 1842 by Ilse Brandvold, today home to about 12,400 people and a lighthouse."
    assert verify("", {"summary": summary}, [page]).grounded
    invented = "A harbour town founded in 1851 by Ilse Brandvold, today home to about 12,400 people and a lighthouse."
    assert verify("", {"summary": invented}, [page]).unsupported == ("1851",)
    assert verify("", {"name": "Port Ellery Harbour"}, [page]).unsupported == ("Port Ellery Harbour",)
