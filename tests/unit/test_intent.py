import pytest

from services.browser.agent.intent import asks_question, asks_to_act, asks_to_fill, not_done_note


@pytest.mark.parametrize("task", [
    "Click on the link \"dolor\".",
    "Enter \"Kim\" into the text field and press Submit.",
    "Select nothing and click Submit.",
    "Do what the instruction at the top of the page says.",
    "Log in and add the cheapest kettle to the cart",
    "Focus into the textbox.",
])
def test_instructions_that_change_the_page_ask_to_act(task):
    assert asks_to_act(task)


@pytest.mark.parametrize("task", [
    "What is the title of the top story?",
    "Who posted the third story on Hacker News?",
    "How many comments does the story 'Why our Postgres vacuum took 11 days' have?",
    "Find the price of the cheapest kettle",
    "Do they ship to Canada?",
    "Read the page",
])
def test_questions_only_ask_to_read(task):
    assert not asks_to_act(task)


def test_a_question_that_also_says_to_click_asks_to_act():
    assert asks_to_act("What is on page 2? Open it and then click the first story")


def test_the_note_names_the_verbs_the_task_used():
    note = not_done_note("Type 'x' and click the blue button")
    assert "(click, type)" in note and "not done anything" in note


@pytest.mark.parametrize(("task", "question"), [
    ("At what rank is the story 'Plain text'?", True),
    ("How many comments does the story 'Plain text' have?", True),
    ("Find the price of the cheapest kettle", True),
    ("Search for 'kettle' and give me the first price", False),
    ("Click on the link 'nam'", False),
    ("What is the price? Then click Buy.", False),
])
def test_a_question_is_what_the_cheap_first_read_is_for(task, question):
    assert asks_question(task) is question


@pytest.mark.parametrize(("task", "fill"), [
    ('Enter the password "fU" into both text fields and press submit.', True),
    ("Type Kim into the name field", True),
    ("Fill in the form and submit it", True),
    ("Do what the instruction at the top of the page says.", True),
    ('Click the "Submit" button', False),
    ("Select owl and click Submit", False),
])
def test_a_task_that_gives_text_may_ask_for_fields_to_be_filled(task, fill):
    assert asks_to_fill(task) is fill
