"""Task documents: create, read, claim, and the projection of worker events."""
from pymongo import ReturnDocument
from stablebrowse.events.v1 import events_pb2

from services.common import ids, mongo

PENDING, RUNNING, COMPLETED, FAILED = "pending", "running", "completed", "failed"
TERMINAL = (COMPLETED, FAILED)


def new_task_doc(business_id: str, session_id: str, request, schema_json: str | None) -> dict:
    created = ids.now()
    return {
        "_id": ids.new_id(),
        "business_id": business_id,
        "session_id": session_id,
        "end_user_id": request.end_user_id,
        "status": PENDING,
        "task": request.task,
        "start_url": request.start_url if request.HasField("start_url") else None,
        "schema_json": schema_json,
        "max_steps": request.max_steps,
        "include_html_dump": request.include_html_dump,
        "step_summaries": [],
        "visited_urls": [],
        "attempts": 0,
        "created_at": created,
        "updated_at": created,
    }


async def insert(db, doc: dict) -> None:
    await mongo.durable(db, mongo.TASKS).insert_one(doc)


async def delete(db, task_id: str) -> None:
    await mongo.durable(db, mongo.TASKS).delete_one({"_id": task_id, "status": PENDING})


async def get(db, business_id: str, task_id: str) -> dict | None:
    return await db[mongo.TASKS].find_one({"_id": task_id, "business_id": business_id})


async def claim(db, task_id: str, worker_id: str) -> dict | None:
    """pending -> running for exactly one worker; None if someone else has it or it ended."""
    now = ids.now()
    return await mongo.durable(db, mongo.TASKS).find_one_and_update(
        {"_id": task_id, "status": PENDING},
        {
            "$set": {"status": RUNNING, "worker_id": worker_id, "started_at": now, "heartbeat_at": now, "updated_at": now},
            "$inc": {"attempts": 1},
        },
        return_document=ReturnDocument.AFTER,
    )


async def set_context(db, task_id: str, previous_context: str | None, previous_error: str | None) -> None:
    await db[mongo.TASKS].update_one(
        {"_id": task_id}, {"$set": {"previous_context": previous_context, "previous_error": previous_error}}
    )


def _outcome_fields(outcome) -> dict:
    fields = {
        "total_steps": outcome.total_steps,
        "duration_ms": outcome.duration_ms,
        "visited_urls": list(outcome.visited_urls),
    }
    if outcome.HasField("usage"):
        fields["usage"] = {
            "llm_calls": outcome.usage.llm_calls,
            "prompt_tokens": outcome.usage.prompt_tokens,
            "completion_tokens": outcome.usage.completion_tokens,
        }
    if outcome.HasField("html_dump"):
        fields["html_dump"] = outcome.html_dump
    return fields


def event_update(event: events_pb2.TaskEvent) -> tuple[dict, dict]:
    """The (filter, update) that applies one worker event; idempotent under redelivery."""
    now = ids.now()
    owned = {"_id": event.task_id, "status": RUNNING, "worker_id": event.worker_id}
    kind = event.WhichOneof("kind")
    if kind == "step":
        step = {"n": event.step.n, "type": event.step.type, "msg": event.step.msg, "success": event.step.success}
        return (
            {**owned, "step_summaries.n": {"$ne": event.step.n}},
            {"$push": {"step_summaries": step}, "$set": {"updated_at": now, "heartbeat_at": now}},
        )
    if kind == "completed":
        done = event.completed
        fields = {"status": COMPLETED, "result": done.result, **_outcome_fields(done)}
        if done.structured_content_json:
            fields["structured_content_json"] = done.structured_content_json
        return owned, {"$set": {**fields, "updated_at": now, "finished_at": now}}
    if kind == "failed":
        failed = event.failed
        fields = {"status": FAILED, "error": failed.error, "error_code": failed.error_code, **_outcome_fields(failed)}
        return owned, {"$set": {**fields, "updated_at": now, "finished_at": now}}
    return owned, {"$set": {"heartbeat_at": now}}


async def apply_event(db, event: events_pb2.TaskEvent) -> bool:
    query, update = event_update(event)
    result = await db[mongo.TASKS].update_one(query, update)
    return result.modified_count == 1


async def reap_silent(db, silent_since) -> int:
    """Fails running tasks whose worker stopped reporting."""
    now = ids.now()
    result = await mongo.durable(db, mongo.TASKS).update_many(
        {"status": RUNNING, "heartbeat_at": {"$lt": silent_since}},
        {"$set": {"status": FAILED, "error": "the worker running this task stopped responding",
                  "error_code": "worker_lost", "updated_at": now, "finished_at": now}},
    )
    return result.modified_count
