"""The model, over any OpenAI-compatible endpoint, answering in JSON constrained by a schema."""
import dataclasses
import json
import logging
import re
import time

import jsonschema
import openai

from services.common import metrics
from services.common.failures import ErrorCode, TaskFailure

log = logging.getLogger(__name__)

MAX_REPLY_TOKENS = 300
ATTEMPTS = 3
# How replies are constrained, best first. An endpoint that refuses one (HTTP 400 naming the
# response format) is asked the next way from then on; the schema check of replies stays.
FORMATS = ("json_schema", "json_object", "none")
FORMAT_REFUSED = re.compile(r"response_format|json_schema|json_object|schema|grammar|format", re.I)


@dataclasses.dataclass
class Usage:
    llm_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


class Model:
    def __init__(self, base_url: str, api_key: str, model: str, timeout_s: float = 120, token_budget: int = 0):
        """`token_budget`: prompt + completion tokens this task may use (0: no budget); past it,
        the task fails `budget_exceeded`."""
        self.client = openai.AsyncOpenAI(base_url=base_url, api_key=api_key or "none", timeout=timeout_s, max_retries=2)
        self.model = model
        self.token_budget = token_budget
        self.usage = Usage()
        self.format = FORMATS[0]

    async def ask(self, system: str, user: str, schema: dict, name: str = "reply", check: dict | None = None) -> dict:
        """One JSON object; the endpoint is asked to follow `schema`, and replies that do not
        validate against `check` (default: `schema`) are retried."""
        messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]
        problem = ""
        for _ in range(ATTEMPTS):
            if problem:
                messages = messages[:2] + [{"role": "user", "content": f"Your last reply was invalid ({problem}). Reply again with one JSON object."}]
            text = await self._complete(messages, schema, name)
            try:
                reply = json.loads(json_part(text))
                jsonschema.validate(reply, check or schema)
                return reply
            except (ValueError, jsonschema.ValidationError) as exc:
                problem = getattr(exc, "message", str(exc))[:200]
                log.warning("malformed model reply", extra={"problem": problem})
        raise TaskFailure(ErrorCode.ERROR_CODE_LLM_ERROR,
                          f"the model did not answer with valid JSON after {ATTEMPTS} tries ({problem})")

    async def _complete(self, messages: list[dict], schema: dict, name: str) -> str:
        began = time.monotonic()
        while True:
            try:
                response = await self.client.chat.completions.create(
                    model=self.model,
                    messages=messages,  # type: ignore[arg-type]  # plain dicts for openai's TypedDict params
                    temperature=0,
                    max_tokens=MAX_REPLY_TOKENS,
                    **response_format(self.format, schema, name),
                )
                break
            except openai.BadRequestError as exc:
                if self.format == FORMATS[-1] or not FORMAT_REFUSED.search(str(exc)):
                    raise endpoint_error(exc) from None
                self.format = FORMATS[FORMATS.index(self.format) + 1]
                log.warning("endpoint refused the response format; falling back", extra={"format": self.format})
            except openai.OpenAIError as exc:
                raise endpoint_error(exc) from None
        self.usage.llm_calls += 1
        if response.usage:
            self.usage.prompt_tokens += response.usage.prompt_tokens or 0
            self.usage.completion_tokens += response.usage.completion_tokens or 0
        metrics.llm_used(response.usage, time.monotonic() - began)
        if self.token_budget and self.usage.tokens > self.token_budget:
            raise TaskFailure(ErrorCode.ERROR_CODE_BUDGET_EXCEEDED,
                              f"the task used {self.usage.tokens} model tokens, more than its budget "
                              f"of {self.token_budget} (STABLEBROWSE_TASK_TOKEN_BUDGET)")
        return response.choices[0].message.content or ""

    async def close(self) -> None:
        await self.client.close()


def endpoint_error(exc: openai.OpenAIError) -> TaskFailure:
    return TaskFailure(ErrorCode.ERROR_CODE_LLM_ERROR, f"model endpoint error: {type(exc).__name__}: {str(exc)[:200]}")


def response_format(kind: str, schema: dict, name: str) -> dict:
    """The request's response_format argument for this way of constraining replies (none: no argument)."""
    if kind == "json_schema":
        return {"response_format": {"type": "json_schema", "json_schema": {"name": name, "schema": schema}}}
    return {"response_format": {"type": "json_object"}} if kind == "json_object" else {}


def json_part(text: str) -> str:
    """The reply's JSON object, from its first "{" to its last "}" (an unconstrained model may add words around it)."""
    start, end = text.find("{"), text.rfind("}")
    return text[start:end + 1] if 0 <= start < end else text
