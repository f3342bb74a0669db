"""Task templates of recipes: what is lifted as a parameter, and when a template matches a task."""
from services.common import recipes


def test_quoted_strings_numbers_and_words_also_typed_are_candidates():
    task = 'Find "blue kettle" under 40 dollars in the Larkfield shop'
    found = recipes.candidates(task, used=["larkfield"])
    assert found == ["blue kettle", "Larkfield", "40"]


def test_a_word_only_in_the_task_is_no_candidate():
    assert recipes.candidates("What is the price of the kettle", used=["lamp"]) == []


def test_lift_and_bind_round_trip_with_another_value():
    template, names = recipes.lift('What is the price of "kettle" in the shop?', ["kettle"])
    assert template == 'What is the price of "{p1}" in the shop?' and names == {"p1": "kettle"}
    assert recipes.bind(template, 'What is the price of "desk lamp" in the shop?') == {"p1": "desk lamp"}


def test_a_task_that_differs_in_literal_text_does_not_match():
    assert recipes.bind('What is the price of "{p1}" in the shop?', 'What is the cost of "lamp" in the shop?') is None


def test_a_template_whose_parameters_split_two_ways_declines():
    assert recipes.bind("Compare {p1} {p2}", "Compare red wine glass") is None
    assert recipes.bind("Compare {p1} and {p2}", "Compare red and blue") == {"p1": "red", "p2": "blue"}


def test_an_empty_or_padded_parameter_declines():
    assert recipes.bind('Price of "{p1}"', 'Price of ""') is None
    assert recipes.bind('Price of "{p1}"', 'Price of " lamp"') is None


def test_templated_replaces_whole_words_case_insensitively_and_url_escapes():
    names = {"p1": "desk lamp"}
    assert recipes.templated("Desk Lamp, 60W", names) == "{p1}, 60W"
    assert recipes.templated("https://shop.test/search?q=desk%20lamp", names) == "https://shop.test/search?q={p1}"
    assert recipes.templated("desklamp", names) == "desklamp"


def test_fill_leaves_login_placeholders_alone():
    assert recipes.fill("{{password}} {p1}", {"p1": "x"}) == "{{password}} x"


def test_page_address_keeps_scheme_host_and_path_only():
    assert recipes.page_address("HTTPS://Shop.Test/item/1?ref=a#top") == "https://shop.test/item/1"


def test_a_site_name_lifted_from_the_host_still_starts_at_that_host():
    task = "What is the price of Amazon product B0D7K3LQ9X?"
    url = "https://www.amazon.com/dp/B0D7K3LQ9X"
    params = recipes.candidates(task, used=[url])
    template, names = recipes.lift(task, params)
    start = recipes.templated(recipes.page_address(url), names)
    bound = recipes.bind(template, "What is the price of Amazon product B0C9XW2M4R?")
    assert bound is not None and recipes.starts_at(start, bound, "https://www.amazon.com/dp/B0C9XW2M4R")
    assert not recipes.starts_at(start, bound, "https://www.amazon.com/dp/B0D7K3LQ9X")


def test_in_a_url_only_a_value_in_the_same_case_is_templated():
    assert recipes.templated("http://localhost:8000/miniwob/click-tab.html", {"p1": "Tab"}, exact=True) == (
        "http://localhost:8000/miniwob/click-tab.html")
    assert recipes.templated("https://www.airbnb.com/s/Lisbon/homes", {"p1": "Lisbon"}, exact=True) == (
        "https://www.airbnb.com/s/{p1}/homes")


def test_a_read_path_templates_a_value_only_inside_an_element_id():
    names = {"p1": "41000004", "p2": "2"}
    # A row position or a class that shows the value stays as recorded: only ids key by item.
    path = "#hnmain > tbody > tr.row-2:nth-of-type(2) > td"
    assert recipes.templated_path(path, names) == path
    assert recipes.templated_path("#item-2-x > span", names) == "#item-{p2}-x > span"
    assert recipes.templated_path("#score_41000004", names) == "#score_{p1}"
    assert recipes.templated_path("#score_410000045", names) == "#score_410000045"  # not the value
    assert recipes.fill(recipes.templated_path("#score_41000004", names), {"p1": "41000003"}) == "#score_41000003"
