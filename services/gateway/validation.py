"""Request validation for the public API: every error names the field and the reason."""
import urllib.parse

from google.protobuf import json_format

from services.common import schemas
from services.common.errors import InvalidArgument
from services.common.jsonvalue import normalize_numbers
from stablebrowse.tasks.v1 import tasks_pb2

MAX_END_USER_ID = 256
MAX_TASK_CHARS = 16_384
MAX_STEPS = 25
MAX_URL = 2048
MAX_PAGE_SIZE = 100


def validate_create(request: tasks_pb2.CreateTaskRequest) -> int:
    """Checks a CreateTask request; returns the clamped maxSteps."""
    validate_end_user(request.end_user_id, required=True)
    if not request.task.strip():
        raise InvalidArgument("task: required and must be non-empty after trimming")
    if len(request.task) > MAX_TASK_CHARS:
        raise InvalidArgument(f"task: must be at most {MAX_TASK_CHARS} characters")
    if request.HasField("start_url"):
        validate_start_url(request.start_url)
    if request.HasField("schema"):
        validate_schema(json_format.MessageToDict(request.schema))
    if not request.HasField("max_steps"):
        return MAX_STEPS
    if request.max_steps < 1:
        raise InvalidArgument("maxSteps: must be at least 1")
    return min(request.max_steps, MAX_STEPS)


def validate_require_grounded(request: tasks_pb2.CreateTaskRequest) -> bool:
    """requireGrounded: a JSON boolean; absent or null is false."""
    if not request.HasField("require_grounded"):
        return False
    kind = request.require_grounded.WhichOneof("kind")
    if kind == "null_value":
        return False
    if kind != "bool_value":
        raise InvalidArgument("requireGrounded: must be true or false")
    return request.require_grounded.bool_value


def validate_replay(request: tasks_pb2.CreateTaskRequest) -> bool:
    """replay: a JSON boolean; absent or null is true (a matching recipe is replayed)."""
    if not request.HasField("replay") or request.replay.WhichOneof("kind") == "null_value":
        return True
    if request.replay.WhichOneof("kind") != "bool_value":
        raise InvalidArgument("replay: must be true or false")
    return request.replay.bool_value


def validate_end_user(end_user_id: str, required: bool) -> None:
    if required and not end_user_id:
        raise InvalidArgument("endUserId: required")
    if len(end_user_id) > MAX_END_USER_ID:
        raise InvalidArgument(f"endUserId: must be at most {MAX_END_USER_ID} characters")


def validate_start_url(url: str) -> None:
    if len(url) > MAX_URL:
        raise InvalidArgument(f"startUrl: must be at most {MAX_URL} characters")
    try:
        parts = urllib.parse.urlsplit(url)
        host = parts.hostname
    except ValueError:
        host = None
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not host:
        raise InvalidArgument("startUrl: must be an absolute http or https URL")


def validate_schema(schema: dict) -> None:
    """The limits and rules of services/common/schemas.py (docs/security.md, "Schemas")."""
    try:
        schemas.check(normalize_numbers(schema))
    except schemas.BadSchema as exc:
        raise InvalidArgument(f"schema: {exc}") from None


def validate_list(request: tasks_pb2.ListTasksRequest) -> int:
    """Checks a ListTasks request; returns the page size."""
    if request.HasField("end_user_id"):
        validate_end_user(request.end_user_id, required=False)
    if request.page_size < 0 or request.page_size > MAX_PAGE_SIZE:
        raise InvalidArgument(f"pageSize: must be between 1 and {MAX_PAGE_SIZE}")
    return request.page_size or 20
