"""Request validation for the public API: every error names the field and the reason."""
from stablebrowse.tasks.v1 import tasks_pb2

from services.common.errors import InvalidArgument

MAX_END_USER_ID = 256
MAX_STEPS = 25


def validate_create(request: tasks_pb2.CreateTaskRequest) -> int:
    """Checks a CreateTask request; returns the clamped maxSteps."""
    if not request.end_user_id:
        raise InvalidArgument("endUserId: required")
    if len(request.end_user_id) > MAX_END_USER_ID:
        raise InvalidArgument(f"endUserId: must be at most {MAX_END_USER_ID} characters")
    if not request.task.strip():
        raise InvalidArgument("task: required and must be non-empty after trimming")
    if not request.HasField("max_steps"):
        return MAX_STEPS
    if request.max_steps < 1:
        raise InvalidArgument("maxSteps: must be at least 1")
    return min(request.max_steps, MAX_STEPS)
