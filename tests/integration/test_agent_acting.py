"""A task that asks to act gets acted on: a finish before any action is sent back with what is
not done, a type or select that just succeeded is not done again; a question is answered at once."""
import re

from tests.conftest import wait_terminal
from tests.scripted_llm import finish

FORM = b'<title>Form</title><input type="text" aria-label="Name"><button onclick="document.title=\'sent\'">Submit</button>'


def submit(api, script, task: str, start_url: str, **body) -> dict:
    response = api.post("/v1/tasks", json={"endUserId": "acting", "task": f"{task} ({script.marker})",
                                           "startUrl": start_url, **body})
    assert response.status_code == 201, response.text
    return wait_terminal(api, response.json()["taskId"])


def ref(prompt: str, line: str) -> str:
    return re.search(r"\[(e\d+)\] " + re.escape(line), prompt).group(1)


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
