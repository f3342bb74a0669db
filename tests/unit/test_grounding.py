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
