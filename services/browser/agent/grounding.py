"""The grounding check in the agent (services/common/grounding.py does the checking): the
text of the pages a task visits, kept bounded, and what becomes of an answer whose facts are
on none of them — recorded as it is, or with requireGrounded sent back to the model once,
then refused (`ungrounded`)."""
import collections
import json
from collections.abc import Callable

from services.common.failures import ErrorCode, TaskFailure
from services.common.grounding import Verification, verify
from stablebrowse.tasks.v1 import tasks_pb2

MAX_PAGES = 12          # the texts of the last 12 distinct page states
PAGE_CHARS = 200_000    # of each page's visible text
MAX_LINKS = 500
# What the page shows now: its title, URL, visible text (innerText) and its links' URLs.
PAGE_TEXT_JS = """([limit, maxLinks]) => {
  const body = document.body ? document.body.innerText : '';
  const links = Array.from(document.links, (a) => a.href).slice(0, maxLinks);
  return [document.title, location.href, body.slice(0, limit), ...links].join('\\n');
}"""
CORRECTION = ("These facts are not on any page you visited: {facts} — look again or correct your answer, "
              "copying exact text from the page.")


def to_proto(result: Verification) -> tasks_pb2.Verification:
    return tasks_pb2.Verification(grounded=result.grounded, unsupported=list(result.unsupported))


class Ungrounded(TaskFailure):
    """requireGrounded, and the corrected answer still names facts no visited page shows."""

    def __init__(self, result: str, structured_json: str, verification: tasks_pb2.Verification):
        super().__init__(ErrorCode.ERROR_CODE_UNGROUNDED, "the answer names facts not found on any page the task visited: "
                         + "; ".join(verification.unsupported)[:500])
        self.result = result
        self.structured_json = structured_json
        self.verification = verification


class Grounding:
    def __init__(self, required: bool):
        self.required = required
        self.pages: collections.deque[str] = collections.deque(maxlen=MAX_PAGES)
        self.sent_back = False
        self.verification: tasks_pb2.Verification | None = None

    def keep(self, page_text: str, redact: Callable[[str], str]) -> None:
        """Keeps the page's text as the observation read it (PAGE_TEXT_JS; secrets redacted,
        like everything else read)."""
        text = redact(page_text)
        if text not in self.pages:
            self.pages.append(text)

    def judge(self, answer: str, structured_json: str) -> str | None:
        """Records the answer's verification. Returns the note that sends an ungrounded answer
        back to the model (requireGrounded, first time); raises Ungrounded the second time."""
        data = json.loads(structured_json) if structured_json else None
        text = "" if structured_json and answer == structured_json else answer  # data given as the answer
        result = verify(text, data, list(self.pages))
        self.verification = to_proto(result)
        if result.grounded or not self.required:
            return None
        if self.sent_back:
            raise Ungrounded(answer, structured_json, self.verification)
        self.sent_back = True
        return CORRECTION.format(facts="; ".join(result.unsupported))
