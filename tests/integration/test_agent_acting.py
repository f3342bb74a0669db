"""A task that asks to act gets acted on: finish is not offered before an action (and a finish
from a model that ignores the reply schema is sent back with what is not done), a type or select
that just succeeded is not done again; a question is answered at once. Replies may name only the
refs on the page in view, or near what the task quotes. A form with two password fields is
filled, not taken for a sign-in; a click that would submit a form with fields empty is held back
once, naming the fields left empty."""
import re

from tests.conftest import wait_terminal
from tests.scripted_llm import finish, page_title

SET_PASSWORD = (b'<title>New password</title><input type="password" aria-label="Password">'
                b'<input type="password" aria-label="Verify password">'
                b'<button onclick="document.title=\'set\'">Submit</button>')
FORM = b'<title>Form</title><input type="text" aria-label="Name"><button onclick="document.title=\'sent\'">Submit</button>'


def submit(api, script, task: str, start_url: str, **body) -> dict:
    response = api.post("/v1/tasks", json={"endUserId": "acting", "task": f"{task} ({script.marker})",
                                           "startUrl": start_url, **body})
    assert response.status_code == 201, response.text
    return wait_terminal(api, response.json()["taskId"])


def ref(prompt: str, line: str) -> str:
    """The ref of `line` on the page the prompt shows (not in the system text's examples)."""
    return re.search(r"\[(e\d+)\] " + re.escape(line), prompt[prompt.index("Current page:"):]).group(1)


def form_site(local_site) -> str:
    return local_site(lambda path: (FORM, []))


def test_a_finish_before_acting_goes_back_with_what_is_not_done(api, llm, local_site):
    script = llm.script(finish("I would type Kim"), lambda p: {"action": "click", "ref": ref(p, 'button "Submit"')},
                        finish("sent"))
    record = submit(api, script, 'Click the "Submit" button', form_site(local_site))
    assert record["status"] == "completed" and record["result"] == "sent", record
    assert "not done anything on the page yet" not in script.prompts[0]
    assert "not done anything on the page yet" in script.prompts[1] and "(click, submit)" in script.prompts[1]
    assert "finish -> refused" in script.prompts[1]
    assert [s["type"] for s in record["stepSummaries"]] == ["navigation", "execution", "finalize"]


def test_a_question_is_answered_by_the_first_finish(api, llm, local_site):
    script = llm.script(finish("Form"))
    record = submit(api, script, "What is the title of the page?", form_site(local_site))
    assert record["status"] == "completed" and record["usage"]["llmCalls"] == 1


def test_a_model_that_only_finishes_is_sent_back_a_bounded_number_of_times(api, llm, local_site):
    script = llm.script(finish("nothing to do"))
    record = submit(api, script, "Type Kim into the name field", form_site(local_site), maxSteps=8)
    assert record["status"] == "completed" and record["result"] == "nothing to do"
    assert record["usage"]["llmCalls"] == 3  # two refusals, then the finish stands


def test_the_same_type_again_is_skipped_and_the_model_told(api, llm, local_site):
    type_kim = lambda p: {"action": "type", "ref": ref(p, 'textbox "Name"'), "text": "Kim"}  # noqa: E731
    script = llm.script(type_kim, type_kim, lambda p: {"action": "click", "ref": ref(p, 'button "Submit"')}, finish("sent"))
    record = submit(api, script, "Enter Kim into the name field and press Submit", form_site(local_site))
    assert record["status"] == "completed"
    assert sum(s["msg"].startswith("Typed into") for s in record["stepSummaries"]) == 1
    assert "You already did that (type into" in script.prompts[2] and "-> skipped: already done" in script.prompts[2]


def offered(request: dict) -> tuple[list[str], list[str] | None]:
    """The actions and refs the reply schema of one model request allows (refs: None when any)."""
    properties = request["response_format"]["json_schema"]["schema"]["properties"]
    return properties["action"]["enum"], properties["ref"].get("enum")


def test_finish_is_offered_only_once_the_task_has_been_acted_on(api, llm, local_site):
    script = llm.script(lambda p: {"action": "click", "ref": ref(p, 'button "Submit"')}, finish("sent"))
    record = submit(api, script, 'Click the "Submit" button', form_site(local_site))
    assert record["status"] == "completed" and record["result"] == "sent", record
    (before, refs), (after, _) = offered(script.requests[0]), offered(script.requests[1])
    assert "finish" not in before and "click" in before and "finish" in after
    assert refs == [ref(script.prompts[0], 'textbox "Name"'), ref(script.prompts[0], 'button "Submit"')]
    assert f'1. click {refs[1]} (button "Submit") -> ok' in script.prompts[1]  # what was done, by name


def test_a_question_is_offered_finish_at_once(api, llm, local_site):
    script = llm.script(finish("Form"))
    submit(api, script, "What is the title of the page?", form_site(local_site))
    assert "finish" in offered(script.requests[0])[0]


def test_a_form_with_two_password_fields_is_filled_not_taken_for_a_sign_in(api, llm, local_site):
    field = lambda name: lambda p: {"action": "type", "ref": ref(p, f'password "{name}"'), "text": "fU"}  # noqa: E731
    script = llm.script(field("Password"), field("Verify password"),
                        lambda p: {"action": "click", "ref": ref(p, 'button "Submit"')}, finish("set"))
    site = local_site(lambda path: (SET_PASSWORD, []))
    record = submit(api, script, 'Enter the password "fU" into both fields and press Submit', site)
    assert record["status"] == "completed" and record["result"] == "set", record
    assert not any("asks you to sign in" in p for p in script.prompts)


LONG_LIST = ("<title>List</title>" + "".join(f"<p>Filler paragraph number {i} of the list.</p>" for i in range(200))
             + '<p><a href="#" onclick="document.title=\'opened\'">Plain text</a> 388 points by kerningfan</p>').encode()


def test_what_the_task_quotes_is_shown_with_its_row_from_beyond_the_window_and_can_be_used(api, llm, local_site):
    script = llm.script(lambda p: {"action": "click", "ref": ref(p, 'link "Plain text"')}, finish("opened"))
    record = submit(api, script, "Open 'Plain text'", local_site(lambda path: (LONG_LIST, [])))
    assert record["status"] == "completed" and record["result"] == "opened", record
    page, focus = script.prompts[0].split('Where the page mentions "Plain text":')
    assert "scroll for more" in page and 'link "Plain text"' not in page and "388 points by kerningfan" in focus
    assert ref(script.prompts[0], 'link "Plain text"') in offered(script.requests[0])[1]


CHECKS = (b'<title>Checks</title><label><input type="checkbox" id="owl">owl</label>'
          b'<button onclick="document.title=document.getElementById(\'owl\').checked?\'owl sent\':\'none sent\'">Submit</button>')


def test_the_same_checkbox_click_again_is_skipped_so_it_stays_checked(api, llm, local_site):
    owl = lambda p: {"action": "click", "ref": ref(p, 'checkbox "owl"')}  # noqa: E731
    script = llm.script(owl, owl, lambda p: {"action": "click", "ref": ref(p, 'button "Submit"')},
                        lambda p: finish(page_title(p)))
    record = submit(api, script, "Select owl and click Submit", local_site(lambda path: (CHECKS, [])))
    assert record["status"] == "completed" and record["result"] == "owl sent", record
    assert "-> skipped: already done" in script.prompts[2] and 'checkbox "owl" [checked]' in script.prompts[1]


LIST = (b'<title>List</title><select id="pick"><option>Aurora</option><option>Bobine</option></select>'
        b'<button onclick="document.title=document.getElementById(\'pick\').value+\' sent\'">Submit</button>')


def test_a_click_on_a_list_is_answered_with_how_to_choose_an_option(api, llm, local_site):
    script = llm.script(lambda p: {"action": "click", "ref": ref(p, "combobox")},
                        lambda p: {"action": "select", "ref": ref(p, "combobox"), "text": "Bobine"},
                        lambda p: {"action": "click", "ref": ref(p, 'button "Submit"')}, lambda p: finish(page_title(p)))
    record = submit(api, script, "Select Bobine from the list and click Submit", local_site(lambda path: (LIST, [])))
    assert record["status"] == "completed" and record["result"] == "Bobine sent", record
    assert 'is a list: reply {"action":"select"' in script.prompts[1]
    assert "[e1] combobox: *Aurora | Bobine" in script.prompts[0]  # named by its label (none), not its options


MATCH = (b'<title>New password</title><div><p><input type="password" id="a" aria-label="Password"></p>'
         b'<p><input type="password" id="b" aria-label="Verify password"></p>'
         b'<button onclick="var a=document.getElementById(\'a\').value, b=document.getElementById(\'b\').value;'
         b'document.title=a&&a===b?\'match\':\'mismatch\'">Submit</button></div>')


def test_a_submit_with_a_field_left_empty_is_held_once_naming_the_field(api, llm, local_site):
    field = lambda name: lambda p: {"action": "type", "ref": ref(p, f'password "{name}"'), "text": "fU"}  # noqa: E731
    click = lambda p: {"action": "click", "ref": ref(p, 'button "Submit"')}  # noqa: E731
    script = llm.script(field("Password"), field("Password"), click, field("Password"), click, field("Verify password"),
                        click, lambda p: finish(page_title(p)))
    record = submit(api, script, "Do what the instruction says", local_site(lambda path: (MATCH, [])), maxSteps=10)
    assert record["status"] == "completed" and record["result"] == "match", record
    empty = ref(script.prompts[0], 'password "Verify password"')
    assert f'Still empty in the same form: [{empty}] password "Verify password"' in script.prompts[2]  # the type again
    assert f'Not clicked yet: [{empty}] password "Verify password" is still empty' in script.prompts[3]
    assert 'password "Verify password" empty' in script.prompts[3]  # in the history too
    assert "Not clicked yet" in script.prompts[5]  # held again: a type came between, not the same click
    assert sum(s["msg"].startswith("Clicked") for s in record["stepSummaries"]) == 1


OPTIONAL = (b'<title>Form</title><form onsubmit="document.title=\'sent\';return false"><input type="text" aria-label="Name">'
            b'<input type="text" aria-label="Company (optional)"><button>Submit</button></form>')


def test_a_form_left_partly_empty_on_purpose_is_submitted_by_a_second_click(api, llm, local_site):
    click = lambda p: {"action": "click", "ref": ref(p, 'button "Submit"')}  # noqa: E731
    script = llm.script(lambda p: {"action": "type", "ref": ref(p, 'textbox "Name"'), "text": "Kim"}, click, click,
                        lambda p: finish(page_title(p)))
    record = submit(api, script, "Enter Kim as the name and click Submit", local_site(lambda path: (OPTIONAL, [])))
    assert record["status"] == "completed" and record["result"] == "sent", record
    assert page_title(script.prompts[1]) == "Form"  # typing the name pressed no Enter: Company is empty
    assert 'textbox "Company (optional)" is still empty' in script.prompts[2]
    assert "is still empty" not in script.prompts[3]  # held once only


def test_a_submit_before_any_field_is_filled_is_held_when_the_task_gives_text(api, llm, local_site):
    click = lambda p: {"action": "click", "ref": ref(p, 'button "Submit"')}  # noqa: E731
    script = llm.script(click, lambda p: {"action": "type", "ref": ref(p, 'textbox "Name"'), "text": "Kim"}, click,
                        finish("sent"))
    record = submit(api, script, "Type Kim into the name field and press Submit", form_site(local_site))
    assert record["status"] == "completed" and record["result"] == "sent", record
    assert 'Not clicked yet: [e1] textbox "Name" is still empty' in script.prompts[1]


def test_a_type_done_earlier_on_the_page_is_skipped_while_the_field_still_holds_it(api, llm, local_site):
    field = lambda name: lambda p: {"action": "type", "ref": ref(p, f'password "{name}"'), "text": "fU"}  # noqa: E731
    script = llm.script(field("Password"), field("Verify password"), field("Password"),
                        lambda p: {"action": "click", "ref": ref(p, 'button "Submit"')}, lambda p: finish(page_title(p)))
    record = submit(api, script, "Do what the instruction says", local_site(lambda path: (MATCH, [])))
    assert record["status"] == "completed" and record["result"] == "match", record
    assert '3. type into e1 (password "Password") -> skipped: already done' in script.prompts[3]
    assert sum(s["msg"].startswith("Typed into") for s in record["stepSummaries"]) == 2
