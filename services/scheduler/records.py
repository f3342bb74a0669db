"""Task documents <-> protobuf messages."""
import json

from google.protobuf import json_format, struct_pb2
from google.protobuf.timestamp_pb2 import Timestamp

from services.common import mongo
from services.common.jsonvalue import normalize_numbers
from stablebrowse.scheduler.v1 import scheduler_pb2
from stablebrowse.tasks.v1 import tasks_pb2


def timestamp(value) -> Timestamp:
    ts = Timestamp()
    ts.FromDatetime(value)
    return ts


def json_value(text: str) -> struct_pb2.Value:
    value = struct_pb2.Value()
    json_format.Parse(text, value)
    return value


# Document fields copied to the record only when present (same names on both sides).
_OPTIONAL = ("result", "html_dump", "total_steps", "duration_ms", "error", "error_code",
             "previous_context", "previous_error", "start_url", "max_steps")


def task_record(doc: dict) -> tasks_pb2.Task:
    """The public record: absent values stay absent."""
    task = tasks_pb2.Task(
        task_id=doc["_id"],
        session_id=doc["session_id"],
        end_user_id=doc["end_user_id"],
        status=doc["status"],
        task=doc["task"],
        visited_urls=doc.get("visited_urls", []),
        step_summaries=[tasks_pb2.StepSummary(**s) for s in doc.get("step_summaries", [])],
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


def task_spec(doc: dict) -> scheduler_pb2.TaskSpec:
    spec = scheduler_pb2.TaskSpec(
        task_id=doc["_id"],
        session_id=doc["session_id"],
        end_user_id=doc["end_user_id"],
        task=doc["task"],
        schema_json=doc.get("schema_json") or "",
        max_steps=doc["max_steps"],
        include_html_dump=doc.get("include_html_dump", False),
        created_at=timestamp(doc["created_at"]),
        browser_only=doc.get("browser_only", False),
        require_grounded=doc.get("require_grounded", False),
    )
    for key in ("start_url", "previous_context", "previous_error"):
        if doc.get(key) is not None:
            setattr(spec, key, doc[key])
    return spec


def schema_json(struct: struct_pb2.Struct) -> str:
    """Stored as text: JSON Schema keys such as $ref are not valid MongoDB field names."""
    return json.dumps(normalize_numbers(json_format.MessageToDict(struct)), separators=(",", ":"))


async def sealed_credentials(db, business_id: str, end_user_id: str) -> list[scheduler_pb2.SealedCredential]:
    """The end user's vault entries as stored (still sealed: the worker opens them)."""
    docs = await db[mongo.CREDENTIALS].find({"business_id": business_id, "end_user_id": end_user_id}).to_list(None)
    return [scheduler_pb2.SealedCredential(domain=d["domain"], key_id=d["key_id"], nonce=bytes(d["nonce"]),
                                           ciphertext=bytes(d["ciphertext"])) for d in docs]
