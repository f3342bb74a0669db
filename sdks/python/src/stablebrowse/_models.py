"""Typed records. Attributes are the wire names in snake_case (`taskId` → `task_id`);
`raw` keeps the record exactly as received, including fields this SDK does not know yet."""
from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any, Required, TypedDict

TERMINAL = ("completed", "failed")


def parse_time(value: Any) -> datetime | None:
    """RFC 3339 timestamps as the API writes them (`…Z`, up to nanoseconds)."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _from(cls, data: Any, fields: dict[str, tuple[str, Callable[[Any], Any]]]):
    data = data if isinstance(data, dict) else {}
    values = {name: convert(data[wire]) for name, (wire, convert) in fields.items() if wire in data}
    return cls(**values, raw=dict(data))


def _same(value: Any) -> Any:
    return value


@dataclasses.dataclass
class StepSummary:
    """One agent step: `n` counts from 1; `type` is e.g. navigation, execution, finalize."""

    n: int = 0
    type: str = ""
    msg: str = ""
    success: bool | None = None
    # GET /v1/tasks/{taskId}/steps/{n}/screenshot has a JPEG for this step.
    has_screenshot: bool = False
    # Replayed from one of the business's recipes, without the model.
    replayed: bool = False
    # When the step happened.
    at: datetime | None = None
    raw: dict = dataclasses.field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: Any) -> StepSummary:
        return _from(cls, data, _STEP_FIELDS)


@dataclasses.dataclass
class Usage:
    llm_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    raw: dict = dataclasses.field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: Any) -> Usage:
        return _from(cls, data, _USAGE_FIELDS)


@dataclasses.dataclass
class Verification:
    """The grounding check of an answer: `unsupported` lists its facts found on no page the task visited."""

    grounded: bool = False
    unsupported: list[str] = dataclasses.field(default_factory=list)
    raw: dict = dataclasses.field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: Any) -> Verification:
        return _from(cls, data, _VERIFICATION_FIELDS)


@dataclasses.dataclass
class Task:
    """A task record. Fields the server left out are None (or empty lists)."""

    task_id: str = ""
    session_id: str | None = None
    end_user_id: str | None = None
    status: str = ""
    task: str | None = None
    result: str | None = None
    structured_content: Any = None
    html_dump: str | None = None
    total_steps: int | None = None
    duration_ms: int | None = None
    visited_urls: list[str] = dataclasses.field(default_factory=list)
    step_summaries: list[StepSummary] = dataclasses.field(default_factory=list)
    error: str | None = None
    error_code: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    previous_context: str | None = None
    previous_error: str | None = None
    usage: Usage | None = None
    start_url: str | None = None
    max_steps: int | None = None
    verification: Verification | None = None
    raw: dict = dataclasses.field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: Any) -> Task:
        return _from(cls, data, _TASK_FIELDS)

    def to_dict(self) -> dict:
        """The record as the server sent it (wire names, unknown fields kept)."""
        return dict(self.raw)

    @property
    def done(self) -> bool:
        return self.status in TERMINAL

    @property
    def completed(self) -> bool:
        return self.status == "completed"

    @property
    def failed(self) -> bool:
        return self.status == "failed"


@dataclasses.dataclass
class TaskPage:
    """One page of `tasks.list`, newest first; pass `next_page_token` back for the next."""

    tasks: list[Task]
    next_page_token: str | None = None

    def __iter__(self) -> Iterator[Task]:
        return iter(self.tasks)

    def __len__(self) -> int:
        return len(self.tasks)

    @classmethod
    def from_dict(cls, data: Any) -> TaskPage:
        data = data if isinstance(data, dict) else {}
        return cls([Task.from_dict(t) for t in data.get("tasks") or []], data.get("nextPageToken") or None)


@dataclasses.dataclass
class Credential:
    """What the vault holds for one end user and domain: never the secrets themselves.
    `kind` is "cookies", "password" or "cookies+password"."""

    domain: str = ""
    kind: str = ""
    updated_at: datetime | None = None
    raw: dict = dataclasses.field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: Any) -> Credential:
        return _from(cls, data, _CREDENTIAL_FIELDS)

    def to_dict(self) -> dict:
        return dict(self.raw)


class Cookie(TypedDict, total=False):
    """A cookie to store, as the site set it. `domain` defaults to the credential's domain (it
    must be that or a subdomain), `path` to "/"; `expires` is Unix seconds (or a datetime),
    absent for a session cookie; `same_site` is "Strict", "Lax" or "None". The wire names
    (`httpOnly`, `sameSite`) are accepted too."""

    name: Required[str]
    value: Required[str]
    domain: str
    path: str
    expires: int | datetime
    http_only: bool
    secure: bool
    same_site: str


# snake_case (and wire) key -> (wire name, accepted types). Values are never put in a message.
_COOKIE_KEYS: dict[str, tuple[str, tuple[type, ...]]] = {
    "name": ("name", (str,)), "value": ("value", (str,)), "domain": ("domain", (str,)), "path": ("path", (str,)),
    "expires": ("expires", (int, datetime)), "http_only": ("httpOnly", (bool,)), "httpOnly": ("httpOnly", (bool,)),
    "secure": ("secure", (bool,)), "same_site": ("sameSite", (str,)), "sameSite": ("sameSite", (str,)),
}


def cookie_to_wire(cookie: Mapping[str, Any], index: int) -> dict:
    """One Cookie as the API's JSON. Errors name the key and its index, never a value."""
    where = f"cookies[{index}]"
    if not isinstance(cookie, Mapping):
        raise TypeError(f"{where}: a cookie is a mapping (name, value, ...), not {type(cookie).__name__}")
    wire: dict[str, Any] = {}
    for key, value in cookie.items():
        if key not in _COOKIE_KEYS:
            raise TypeError(f"{where}: unknown key {key!r} (expected one of {', '.join(Cookie.__annotations__)})")
        if value is None:
            continue
        name, types = _COOKIE_KEYS[key]
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            raise TypeError(f"{where}.{key}: must be {' or '.join(t.__name__ for t in types)}, not {type(value).__name__}")
        if isinstance(value, datetime):
            value = int(value.timestamp())
        if name in wire:
            raise TypeError(f"{where}: {key!r} given twice (snake_case and wire name)")
        wire[name] = value
    for required in ("name", "value"):
        if required not in wire:
            raise TypeError(f"{where}.{required}: required")
    return wire


def credential_body(cookies: Sequence[Mapping[str, Any]] | None, username: str | None, password: str | None) -> dict:
    """The PUT body; checked for shape here so no value is ever echoed back in an error."""
    body: dict[str, Any] = {}
    if cookies is not None:
        if isinstance(cookies, (str, bytes, Mapping)):
            raise TypeError("cookies: a list of cookies")
        body["cookies"] = [cookie_to_wire(c, i) for i, c in enumerate(cookies)]
    for field, value in (("username", username), ("password", password)):
        if value is not None:
            if not isinstance(value, str):
                raise TypeError(f"{field}: must be str, not {type(value).__name__}")
            body[field] = value
    return body


def _list_of(convert: Callable[[Any], Any]) -> Callable[[Any], list]:
    return lambda value: [convert(v) for v in value] if isinstance(value, list) else []


_STEP_FIELDS = {"n": ("n", _same), "type": ("type", _same), "msg": ("msg", _same), "success": ("success", _same),
                "has_screenshot": ("hasScreenshot", bool), "replayed": ("replayed", bool),
                "at": ("at", parse_time)}
_USAGE_FIELDS = {
    "llm_calls": ("llmCalls", _same), "prompt_tokens": ("promptTokens", _same),
    "completion_tokens": ("completionTokens", _same),
}
_TASK_FIELDS = {
    "task_id": ("taskId", _same),
    "session_id": ("sessionId", _same),
    "end_user_id": ("endUserId", _same),
    "status": ("status", _same),
    "task": ("task", _same),
    "result": ("result", _same),
    "structured_content": ("structured_content", _same),
    "html_dump": ("html_dump", _same),
    "total_steps": ("totalSteps", _same),
    "duration_ms": ("durationMs", _same),
    "visited_urls": ("visitedUrls", _list_of(_same)),
    "step_summaries": ("stepSummaries", _list_of(StepSummary.from_dict)),
    "error": ("error", _same),
    "error_code": ("errorCode", _same),
    "created_at": ("createdAt", parse_time),
    "updated_at": ("updatedAt", parse_time),
    "previous_context": ("previousContext", _same),
    "previous_error": ("previousError", _same),
    "usage": ("usage", Usage.from_dict),
    "start_url": ("startUrl", _same),
    "max_steps": ("maxSteps", _same),
    "verification": ("verification", Verification.from_dict),
}
_VERIFICATION_FIELDS = {"grounded": ("grounded", bool), "unsupported": ("unsupported", _list_of(_same))}
_CREDENTIAL_FIELDS = {
    "domain": ("domain", _same),
    "kind": ("kind", _same),
    "updated_at": ("updatedAt", parse_time),
}
