"""The Idempotency-Key header of POST /v1/tasks: read and checked here, enforced by the
scheduler (services/scheduler/idempotency.py)."""
import hashlib
import json

from google.protobuf import json_format

from services.common.errors import InvalidArgument
from services.common.jsonvalue import normalize_numbers
from stablebrowse.scheduler.v1 import scheduler_pb2

HEADER = "idempotency-key"  # gRPC metadata names are lower-case
MAX_KEY_CHARS = 255
BAD_KEY = f"Idempotency-Key: must be 1 to {MAX_KEY_CHARS} printable ASCII characters"
CREATED = (("x-http-status", "201"),)
REPLAYED = (("idempotent-replayed", "true"),)  # no x-http-status: 200, nothing was created


def read_key(metadata) -> str:
    """The caller's key; "" when the header is absent."""
    values = [value for name, value in metadata or () if name == HEADER]
    if not values:
        return ""
    key = values[0]
    printable = all(" " <= char <= "~" for char in key)
    if len(values) > 1 or not 1 <= len(key) <= MAX_KEY_CHARS or not printable:
        raise InvalidArgument(BAD_KEY)
    return key


def request_hash(request: scheduler_pb2.SubmitTaskRequest) -> str:
    """sha256 of the validated request (business, end user, task, options) as canonical JSON:
    the same body with keys in another order, or a schema's 2 written as 2.0, hashes the same."""
    fields = json_format.MessageToDict(request, preserving_proto_field_name=True)
    fields.pop("idempotency_key", None)
    fields.pop("request_hash", None)
    canonical = json.dumps(normalize_numbers(fields), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def with_key(request: scheduler_pb2.SubmitTaskRequest, key: str) -> scheduler_pb2.SubmitTaskRequest:
    if key:
        request.request_hash = request_hash(request)
        request.idempotency_key = key
    return request
