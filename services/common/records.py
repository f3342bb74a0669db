"""Task documents -> the public task record (the scheduler serves it, the webhook deliverer sends it)."""
import datetime
from typing import Any

from google.protobuf import json_format, struct_pb2
from google.protobuf.timestamp_pb2 import Timestamp

from stablebrowse.tasks.v1 import tasks_pb2


def timestamp(value: datetime.datetime) -> Timestamp:
    ts = Timestamp()
    ts.FromDatetime(value)
    return ts


def json_value(text: str) -> struct_pb2.Value:
    value = struct_pb2.Value()
    json_format.Parse(text, value)
    return value


def step_summary(step: dict[str, Any]) -> tasks_pb2.StepSummary:
    fields = {"has_screenshot": False, **step}
    if "at" in fields:
        fields["at"] = timestamp(fields["at"])
    return tasks_pb2.StepSummary(**fields)


# Document fields copied to the record only when present (same names on both sides).
_OPTIONAL = ("result", "html_dump", "total_steps", "duration_ms", "error", "error_code",
             "previous_context", "previous_error", "start_url", "max_steps")


def task_record(doc: dict[str, Any]) -> tasks_pb2.Task:
    """The public record: absent values stay absent."""
    task = tasks_pb2.Task(
        task_id=doc["_id"],
        session_id=doc["session_id"],
        end_user_id=doc["end_user_id"],
        status=doc["status"],
        task=doc["task"],
        visited_urls=doc.get("visited_urls", []),
        step_summaries=[step_summary(s) for s in doc.get("step_summaries", [])],
        created_at=timestamp(doc["created_at"]),
        updated_at=timestamp(doc["updated_at"]),
    )
    for key in _OPTIONAL:
        if doc.get(key) is not None:
            setattr(task, key, doc[key])
    if doc.get("structured_content_json"):
        task.structured_content.CopyFrom(json_value(doc["structured_content_json"]))
    if doc.get("usage"):
        task.usage.CopyFrom(tasks_pb2.Usage(**doc["usage"]))
    if doc.get("verification"):
        task.verification.CopyFrom(tasks_pb2.Verification(**doc["verification"]))
    return task
