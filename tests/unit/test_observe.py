from services.browser.agent.observe import Observation, lines, names, near, positions, ref_selector, refs_in, windowed


def test_windows_cut_at_line_boundaries_and_clamp():
    text = "\n".join(f"line {i:03d}" for i in range(100))  # 9 chars per line
    first, index, count = windowed(text, 0, size=100)
    assert (index, count) == (0, 10) and first.splitlines()[0] == "line 000"
    last, index, _ = windowed(text, 99, size=100)
    assert index == 9 and last.splitlines()[-1] == "line 099"
    assert windowed("short", 3)[1:] == (0, 1)


def test_render_says_when_there_is_more():
    assert "part 2 of 3; scroll for more" in Observation("u", "t", "c", 1, 3).render()
    assert "part" not in Observation("u", "t", "c", 0, 1).render()


def test_ref_selector_accepts_what_models_write():
    assert ref_selector("e12") == ref_selector("[e12]") == ref_selector(" e12 ") == '[data-sbref="e12"]'


HN = "\n".join(["1.", "[e11] link", '[e12] link "A tiny B-tree"', "412 points by", '[e14] link "ferris"', "2.",
                "[e18] link", '[e19] link "Plain text"', '[e20] link "plaintext.example.org"', "388 points by",
                '[e21] link "kerningfan"', '[e22] link "5 hours ago"', '[e23] link "hide"', '[e24] link "37 comments"', "3."])


def test_near_shows_the_lines_around_what_the_task_quotes():
    focus = near(HN, "How many points does the story 'Plain text' have?")
    assert focus.splitlines()[0] == 'Where the page mentions "Plain text" (item number 2):'  # its number line
    assert focus.splitlines()[1:] == HN.splitlines()[5:14]  # from its rank to its comments: 2 lines before, 6 after


def test_near_needs_a_quote_or_a_position_and_an_apostrophe_is_not_a_quote():
    assert near(HN, "What's the title of this page?") == ""
    assert near(HN, 'Who posted "Not on this page"?') == ""
    assert near(HN, "Who posted \u201cplain TEXT\u201d?").startswith('Where the page mentions "plain TEXT" (item')


def test_near_shows_the_item_a_task_names_by_its_position_from_its_number_on():
    focus = near(HN, "Who posted the second story?")
    assert focus.splitlines()[0] == "Where the page mentions item 2:" and focus.splitlines()[1:] == HN.splitlines()[5:14]
    assert near(HN, "What is the title of the top story?").splitlines()[1:3] == ["1.", "[e11] link"]
    assert positions("Who posted story #4?") == [4] and positions("the 3rd post, then the tenth") == [3, 10]
    assert positions("Scroll to the top of the page") == [] and positions("How many points has story 41000004?") == []


def test_render_adds_what_the_whole_page_says_near_a_quoted_phrase_beyond_the_window():
    view = Observation("u", "t", "\n".join(HN.splitlines()[:5]), 0, 2, whole=HN)
    shown = view.render("Who posted 'Plain text'?")
    assert "[e21]" in shown and refs_in(shown)[-1] == "e24"
    assert "[e21]" not in view.render()


def test_names_are_role_and_name_never_a_value():
    view = '[e1] checkbox "Blue" [checked]\n[e2] textbox "Name": Kim\n[e3] textbox: s3cret\n[e4] link\ntext [e5] link "x"'
    assert names(view) == {"e1": 'checkbox "Blue"', "e2": 'textbox "Name"', "e3": "textbox", "e4": "link"}


def test_lines_give_each_ref_its_whole_line_with_its_state():
    view = '[e1] checkbox "Blue" [checked]\n[e2] textbox "Name": Kim\nSome text\n[e3] password "P" [filled]'
    assert lines(view) == {"e1": '[e1] checkbox "Blue" [checked]', "e2": '[e2] textbox "Name": Kim',
                           "e3": '[e3] password "P" [filled]'}
