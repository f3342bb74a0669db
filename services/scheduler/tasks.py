"""Task documents: create, read, claim, and the projection of worker events."""
import datetime
import logging
from typing import Any

from pymongo import ReturnDocument

from services.common import failures, ids, mongo
from services.common.failures import ErrorCode, TaskFailure
from services.scheduler import idempotency, quotas, recipes, screenshots
from stablebrowse.events.v1 import events_pb2

log = logging.getLogger(__name__)

PENDING, RUNNING, COMPLETED, FAILED = "pending", "running", "completed", "failed"
MAX_ATTEMPTS = 2  # a task whose worker dies runs once more; a second loss ends it


def new_task_doc(business_id: str, session_id: str, request, schema_json: str | None,
                 browser_only: bool = False, replay: bool = True) -> dict:
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
        "browser_only": browser_only,
        "require_grounded": request.require_grounded,
        "replay": replay,  # a matching recipe may be replayed (scheduler/recipes.py)
        "step_summaries": [],
        "visited_urls": [],
        "attempts": 0,
        "idempotency_id": idempotency.key_id(business_id, request.idempotency_key),
        "slot_held": True,  # its business's concurrency slot, given back once when it ends
        "created_at": created,
        "updated_at": created,
    }


async def insert(db, doc: dict) -> None:
    await mongo.durable(db, mongo.TASKS).insert_one(doc)


async def delete(db, task_id: str) -> None:
    await mongo.durable(db, mongo.TASKS).delete_one({"_id": task_id, "status": PENDING})


async def withdraw(db, task_id: str, business_id: str) -> None:
    """A submission that failed after admission: removes its task if still pending and gives
    the slot back once. A task a worker already claimed keeps its slot until it ends."""
    removed = await mongo.durable(db, mongo.TASKS).delete_one({"_id": task_id, "status": PENDING})
    if removed.deleted_count or await db[mongo.TASKS].count_documents({"_id": task_id}) == 0:
        await quotas.release_slot(db, business_id)


def _list_filter(business_id: str, query) -> dict:
    conditions = {"business_id": business_id}
    if query.HasField("session_id"):
        conditions["session_id"] = query.session_id
    if query.HasField("end_user_id"):
        conditions["end_user_id"] = query.end_user_id
    return conditions


async def page(db, business_id: str, query, size: int, after: tuple | None) -> list[dict]:
    """Newest first; `after` is the (created_at, _id) of the last record of the previous page."""
    conditions = _list_filter(business_id, query)
    if after is not None:
        created, task_id = after
        conditions["$or"] = [{"created_at": {"$lt": created}}, {"created_at": created, "_id": {"$lt": task_id}}]
    cursor = db[mongo.TASKS].find(conditions, {"html_dump": 0}).sort([("created_at", -1), ("_id", -1)]).limit(size + 1)
    return await cursor.to_list(size + 1)


async def get(db, business_id: str, task_id: str) -> dict | None:
    return await db[mongo.TASKS].find_one({"_id": task_id, "business_id": business_id})


async def earlier_turn_unfinished(db, task_id: str) -> bool:
    """An earlier turn of this task's session is still pending or running (e.g. requeued)."""
    doc = await db[mongo.TASKS].find_one({"_id": task_id}, {"business_id": 1, "session_id": 1, "created_at": 1})
    if doc is None:
        return False
    earlier = await db[mongo.TASKS].find_one({
        "business_id": doc["business_id"], "session_id": doc["session_id"],
        "created_at": {"$lt": doc["created_at"]}, "status": {"$in": [PENDING, RUNNING]}}, {"_id": 1})
    return earlier is not None


async def claim(db, task_id: str, worker_id: str, timeout_seconds: float) -> dict | None:
    """pending -> running for exactly one worker; None if someone else has it or it ended.
    The claim starts the task's lease (heartbeat_at, renewed by every event) and sets its
    hard deadline: whatever heartbeats say, the reaper ends it `timeout` after that."""
    now = ids.now()
    return await mongo.durable(db, mongo.TASKS).find_one_and_update(
        {"_id": task_id, "status": PENDING},
        {
            "$set": {"status": RUNNING, "worker_id": worker_id, "claim_id": ids.new_id(), "started_at": now,
                     "heartbeat_at": now,
                     "deadline_at": now + datetime.timedelta(seconds=timeout_seconds), "updated_at": now},
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
    if outcome.HasField("verification"):
        fields["verification"] = {"grounded": outcome.verification.grounded,
                                  "unsupported": list(outcome.verification.unsupported)}
    return fields


def completed_fields(done: events_pb2.TaskCompleted) -> dict:
    """The document fields a `completed` outcome sets (its steps apart: they are appended)."""
    fields = {"status": COMPLETED, "result": done.result, **_outcome_fields(done)}
    if done.structured_content_json:
        fields["structured_content_json"] = done.structured_content_json
    return fields


def step_fields(step) -> dict:
    fields = {"n": step.n, "type": step.type, "msg": step.msg, "success": step.success, "has_screenshot": step.has_screenshot}
    if step.replayed:
        fields["replayed"] = True
    if step.HasField("at"):  # steps of workers older than step times carry none
        fields["at"] = step.at.ToDatetime(tzinfo=datetime.UTC)
    return fields


def event_update(event: events_pb2.TaskEvent) -> tuple[dict, dict]:
    """The (filter, update) that applies one worker event; idempotent under redelivery."""
    now = ids.now()
    owned = {"_id": event.task_id, "status": RUNNING, "worker_id": event.worker_id}
    if event.claim_id:  # events of workers older than claim ids carry none
        owned["claim_id"] = event.claim_id
    kind = event.WhichOneof("kind")
    if kind == "step":
        step = step_fields(event.step)
        return (
            {**owned, "step_summaries.n": {"$ne": event.step.n}},
            {"$push": {"step_summaries": step}, "$set": {"updated_at": now, "heartbeat_at": now}},
        )
    if kind == "completed":
        done = event.completed
        update = {"$set": {**completed_fields(done), "updated_at": now, "finished_at": now}}
        if done.steps:
            update["$push"] = {"step_summaries": {"$each": [step_fields(s) for s in done.steps]}}
        return owned, update
    if kind == "failed":
        failed = event.failed
        fields = {"status": FAILED, **failures.record_fields(failed.code, failed.error), **_outcome_fields(failed)}
        if failed.HasField("result"):  # an answer refused by the grounding check, kept as given
            fields["result"] = failed.result
        if failed.structured_content_json:
            fields["structured_content_json"] = failed.structured_content_json
        return owned, {"$set": {**fields, "updated_at": now, "finished_at": now}}
    return owned, {"$set": {"heartbeat_at": now}}


async def apply_event(db, event: events_pb2.TaskEvent) -> bool:
    """Applies a worker event; a task that ends here gives back its concurrency slot (once, first: see _end)."""
    query, update = event_update(event)
    await screenshots.keep(db, event, query)  # first: a step that says it has one always has it
    kind = event.WhichOneof("kind")
    if kind in ("completed", "failed"):  # first too: a task seen ended has its recipe stored or counted
        owner = await db[mongo.TASKS].find_one(query, {"business_id": 1})
        if owner is None:
            return False
        await recipes.apply_outcome(db, owner["business_id"], getattr(event, kind))
        return await _end(db, query, update, owner["business_id"]) is not None
    # The document before the update, whole: FerretDB implements no projection in findAndModify.
    return await mongo.durable(db, mongo.TASKS).find_one_and_update(query, update) is not None


async def _end(db, query: dict, update: dict, business_id: str) -> dict | None:
    """Ends the task `query` matches (in the state it ends from) with `update`; returns the
    document before it, or None if it no longer matched. Its concurrency slot is given back
    first: once anyone can read the task as ended, its slot is free (a caller who waited for
    it and submits again is not refused). A task not ended here after all but still pending
    or running (requeued meanwhile) holds its slot again."""
    try:
        released = await quotas.release_slot_of(db, query, business_id)
    except Exception:  # the flag is restored: it ends holding its slot, given back just below or by the reaper
        log.warning("slot not given back before the task ended", extra={"task_id": query["_id"]}, exc_info=True)
        released = False
    # The document before the update, whole: FerretDB implements no projection in findAndModify
    # (html_dump, the one large field, is only written by an update that ends a task).
    doc = await mongo.durable(db, mongo.TASKS).find_one_and_update(query, update)
    if doc is None:
        if released:
            await quotas.hold_slot_again(db, query["_id"], business_id)
    elif not released:  # its slot was given back by an earlier try (a replayed event), or not at all
        await quotas.release_task_slot(db, query["_id"], business_id)
    return doc


async def fail(db, task: dict, from_status: str, failure: TaskFailure) -> bool:
    """Ends a task as failed if it is still in from_status, its slot given back once (first:
    see _end). The task is marked for its outcome to be announced on Kafka
    (services/scheduler/announce.py)."""
    now = ids.now()
    ended = await _end(
        db, {"_id": task["_id"], "status": from_status},
        {"$set": {"status": FAILED, **failure.record_fields(), "updated_at": now, "finished_at": now,
                  "needs_announce": True}},
        task["business_id"],
    )
    return ended is not None


async def cancel(db, business_id: str, task_id: str) -> tuple[dict | None, str | None]:
    """Ends the caller's pending or running task as cancelled. Returns (the document now,
    the status it was cancelled from) — (None, None) for a task that is not the caller's,
    (doc, None) for one that had already ended."""
    doc = await get(db, business_id, task_id)
    cancelled = TaskFailure(ErrorCode.ERROR_CODE_CANCELLED, "cancelled by the caller")
    for status in (PENDING, RUNNING):
        if doc is not None and doc["status"] == status and await fail(db, doc, status, cancelled):
            return await get(db, business_id, task_id), status
        doc = await get(db, business_id, task_id)  # it may have moved on meanwhile
    return doc, None


async def hand_back(db, query: dict, count_attempt: bool) -> dict | None:
    """running -> pending for one more run, its partial steps cleared, marked needs_dispatch
    until its dispatch is on Kafka. An attempt is counted only when the worker was lost;
    one handed back by its worker (drain, lost browser) is not."""
    update: dict[str, Any] = {"$set": {"status": PENDING, "worker_id": None, "claim_id": None, "step_summaries": [],
                                       "visited_urls": [], "needs_dispatch": True, "updated_at": ids.now()}}
    if not count_attempt:
        update["$inc"] = {"attempts": -1}
    doc = await mongo.durable(db, mongo.TASKS).find_one_and_update(
        {**query, "status": RUNNING}, update, return_document=ReturnDocument.AFTER)
    if doc is not None and doc.get("slot_held") is False:  # its slot was given back to end it, and it was not
        await quotas.hold_slot_again(db, doc["_id"], doc["business_id"])
    return doc


async def dispatched(db, task_id: str) -> None:
    await db[mongo.TASKS].update_one({"_id": task_id, "needs_dispatch": True}, {"$unset": {"needs_dispatch": ""}})
