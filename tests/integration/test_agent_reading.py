"""A question about something the page names (a quoted phrase, an item's position) is first
asked of only the lines where the page mentions it (services/browser/agent/extract.py); an
answer those lines do not bear out, or one that only repeats the question's quote, goes to the
model again with the whole page. Tasks that act, or want structured data, are not read this way."""
from tests.conftest import wait_terminal
from tests.scripted_llm import Extract, finish

FILLER = "".join(f"<p>Filler paragraph number {i} of the list.</p>" for i in range(200))
LIST = (f"<title>List</title>{FILLER}"
        '<p>1.</p><p><a href="/a">Plain text</a> 388 points by kerningfan</p><p><a href="/c">37 comments</a></p>'
        '<p>2.</p><p><a href="/b">Tabs versus spaces</a> 275 points by drh_reader</p>').encode()


def ask(api, script, task: str, site: str, **body) -> dict:
    response = api.post("/v1/tasks", json={"endUserId": "reading", "task": f"{task} ({script.marker})",
                                           "startUrl": site, **body})
    assert response.status_code == 201, response.text
    return wait_terminal(api, response.json()["taskId"])


def test_a_question_about_a_quoted_item_is_read_from_the_lines_near_it(api, llm, local_site):
    script = llm.script(Extract("388"))
    record = ask(api, script, "How many points does 'Plain text' have?", local_site(lambda path: (LIST, [])))
    assert record["status"] == "completed" and record["result"] == "388", record
    assert record["usage"]["llmCalls"] == 1 and script.prompts == []  # the whole page was never sent
    (lines,) = script.extractions
    assert "388 points by kerningfan" in lines and "Filler paragraph number 150 " not in lines
    assert record["verification"]["grounded"] is True


def test_an_item_named_by_its_position_is_read_from_its_number_on(api, llm, local_site):
    script = llm.script(Extract("drh_reader"))
    record = ask(api, script, "Who posted the second story?", local_site(lambda path: (LIST, [])))
    assert record["status"] == "completed" and record["result"] == "drh_reader", record
    assert "Where the page mentions item 2:\n2.\n" in script.extractions[0]


def test_a_title_cut_short_is_given_whole(api, llm, local_site):
    script = llm.script(Extract("versus spaces"))
    record = ask(api, script, "What is the title of the second story?", local_site(lambda path: (LIST, [])))
    assert record["result"] == "Tabs versus spaces", record


def test_an_answer_the_lines_do_not_show_goes_to_the_whole_page(api, llm, local_site):
    script = llm.script(Extract("999"), finish("388 points by kerningfan"))
    record = ask(api, script, "How many points does 'Plain text' have?", local_site(lambda path: (LIST, [])))
    assert record["status"] == "completed" and record["result"] == "388 points by kerningfan", record
    assert record["usage"]["llmCalls"] == 2 and len(script.prompts) == 1 and "Filler paragraph" in script.prompts[0]


def test_an_answer_that_repeats_the_quote_goes_to_the_whole_page(api, llm, local_site):
    script = llm.script(Extract("Plain text"), finish("388"))
    record = ask(api, script, "How many points does 'Plain text' have?", local_site(lambda path: (LIST, [])))
    assert record["result"] == "388" and len(script.prompts) == 1, record


def test_tasks_that_act_or_want_data_are_not_read_from_lines(api, llm, local_site):
    site = local_site(lambda path: (LIST, []))
    act = llm.script(lambda p: {"action": "click", "ref": "e1"}, finish("done"))
    ask(api, act, "Click 'Plain text'", site)
    schema = {"type": "object", "properties": {"points": {"type": "integer"}}, "required": ["points"]}
    data = llm.script(finish("388", {"points": 388}))
    record = ask(api, data, "How many points does 'Plain text' have?", site, schema=schema)
    assert record["status"] == "completed" and act.extractions == [] and data.extractions == []
