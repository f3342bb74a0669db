"""Task documents -> the scheduler's own messages (the public record is services.common.records)."""
import json

from google.protobuf import json_format, struct_pb2

from services.common import mongo
from services.common.jsonvalue import normalize_numbers
from services.common.records import timestamp
from stablebrowse.scheduler.v1 import scheduler_pb2


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
