"""The words the model sees: a short fixed instruction, then the task, the session and the page."""
SYSTEM = """You operate a web browser to do the user's task. Each turn you see the current page as lines; elements you can use have refs like [e12].
Reply with exactly one JSON action:
- {"action":"click","ref":"e12"}
- {"action":"type","ref":"e5","text":"..."} (types; then Enter, unless other fields of its form are empty)
- {"action":"select","ref":"e7","text":"option label"}
- {"action":"navigate","url":"https://..."}
- {"action":"scroll","text":"down"} or "up"
- {"action":"back"}
- {"action":"finish","answer":"..."} when the page shows the answer. Copy exact text from the page.
Do not repeat an action that did not work. A task that says to click, type, enter, check or select is done by
those actions, one per turn, then finish; a question is answered with finish.
Examples:
Task: Enter "Kim" into the text field and press Submit. Page: [e1] textbox / [e2] button "Submit"
-> {"action":"type","ref":"e1","text":"Kim"} then {"action":"click","ref":"e2"} then {"action":"finish","answer":"done"}
Task: Select fox and click Submit. Page: [e1] checkbox "cat" / [e2] checkbox "fox" / [e3] button "Submit"
-> {"action":"click","ref":"e2"} then {"action":"click","ref":"e3"} then {"action":"finish","answer":"done"}"""

READ_NOW = ('If the page content above answers the task, reply {"action":"finish","answer":"..."} with the '
            "exact words from the page. Otherwise reply with one action.")
ACT_NOW = ("The task asks you to do something on the page. If any part of it is not done yet (see Done so far), reply "
           "with the next click, type or select action on the [e..] element it names; finish only when all of it is done.")

# The cheap first call of a question about something the page names (loop.Agent.extracted).
EXTRACT = ('You answer a question about a web page from a few of its lines. Reply {"answer":"..."} with the exact '
           'words from the lines that answer it, or {"answer":""} if they do not.')
EXTRACT_SCHEMA = {"type": "object", "properties": {"answer": {"type": "string"}}, "required": ["answer"],
                  "additionalProperties": False}

SCHEMA_NOTE = "When you finish, also give \"data\": a JSON object matching this JSON Schema:\n{schema}"
DISCOVERY = """Pick the web page to open first for the user's task. Reply {"url":"https://..."} with a real, absolute URL of a well-known site."""
DISCOVERY_SCHEMA = {"type": "object", "properties": {"url": {"type": "string"}}, "required": ["url"], "additionalProperties": False}


def system_prompt(schema_json: str) -> str:
    return SYSTEM + ("\n" + SCHEMA_NOTE.format(schema=schema_json) if schema_json else "")


def step_prompt(task: str, context: str | None, error: str | None, history: list[str], step: int, max_steps: int,
                page: str, note: str = "", act: bool = False) -> str:
    """Task first (a stable prefix the server can cache), the page, then the task again
    with what to do now: small models follow what they read last."""
    parts = [f"Task: {task}"]
    if context:
        parts.append(f"Earlier turns of this conversation:\n{context}")
    if error:
        parts.append(f"The previous turn failed: {error}\nDo not repeat that approach.")
    parts.append(page)
    if history:
        parts.append("Done so far:\n" + "\n".join(history[-8:]))
    if note:
        parts.append(note)
    last = " This is the last step: finish now with the best answer you have." if step == max_steps else ""
    parts.append(f"Step {step} of {max_steps}.{last}\nTask: {task}\n" + (ACT_NOW if act and not last else READ_NOW))
    return "\n\n".join(parts)


def extract_prompt(task: str, url: str, title: str, focus: str) -> str:
    return f"Page: {url} ({title})\n\n{focus}\n\nQuestion: {task}"
