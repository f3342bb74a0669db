"""Idempotency-Key on task submission (Stripe's convention), scoped per business.

One entry per (business, key) in `idempotency_keys`, `_id` = sha256(business, key):
- reserved with an insert before the task is created (the unique `_id` is the lock):
  state `in_progress`, with the gateway's hash of the request;
- completed with the task's id, session and createdAt once SubmitTask has answered;
- settled when SubmitTask failed: completed if the task was stored all the same (tasks
  carry `idempotency_id`), else deleted so that a retry can succeed.

A later submission with the key, within 24 h: same hash and completed → the same task
again (`replayed`, with its status now); another hash → ALREADY_EXISTS (409); still in
progress → ABORTED (409) with Retry-After. An entry in progress for longer than
IN_PROGRESS_SECONDS belongs to a scheduler that died mid-submission: it is settled, then
taken over. `expires_at` is checked in every query (the embedded MongoDB-protocol
server has no TTL expiry); a TTL index removes old entries on a real MongoDB.
"""
import datetime
import functools
import hashlib
import logging
from collections.abc import Awaitable, Callable
from typing import cast

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError, OperationFailure, PyMongoError

from services.common import ids, mongo
from services.common.errors import Aborted, AlreadyExists
from stablebrowse.scheduler.v1 import scheduler_pb2

log = logging.getLogger(__name__)

KEYS = "idempotency_keys"
TTL = datetime.timedelta(hours=24)
IN_PROGRESS_SECONDS = 30  # three times the gateway's deadline for SubmitTask
RETRY_AFTER_SECONDS = 1
IN_PROGRESS, DONE = "in_progress", "done"

Submit = Callable[..., Awaitable[scheduler_pb2.SubmitTaskResponse]]


def key_id(business_id: str, key: str) -> str | None:
    """The entry's `_id` (and the task's `idempotency_id`); None without a key."""
    if not key:
        return None
    return hashlib.sha256(f"{business_id}\0{key}".encode()).hexdigest()


NOT_IMPLEMENTED = 238  # MongoDB's error code, as FerretDB answers an option it lacks


async def ensure_indexes(db) -> None:
    """A TTL index removes expired keys where the store has them (MongoDB); expiry itself is
    checked in every query, so a store without TTL indexes (FerretDB) only keeps old entries."""
    try:
        await db[KEYS].create_index("expires_at", expireAfterSeconds=0)
    except OperationFailure as exc:
        if exc.code != NOT_IMPLEMENTED:
            raise
        log.info("the store has no TTL indexes: expired idempotency keys stay until removed", extra={"error": str(exc)})


def once(submit: Submit) -> Submit:
    """Wraps SchedulerServicer.SubmitTask: a request with an idempotency key creates at most
    one task per business and key."""

    @functools.wraps(submit)
    async def guarded(servicer, request: scheduler_pb2.SubmitTaskRequest, context) -> scheduler_pb2.SubmitTaskResponse:
        entry_id = key_id(request.business_id, request.idempotency_key)
        if entry_id is None:
            return await submit(servicer, request, context)
        replay = await reserve(servicer.db, entry_id, request)
        if replay is not None:
            return replay
        try:
            response = await submit(servicer, request, context)
        except BaseException:
            await settle(servicer.db, entry_id, request.business_id)
            raise
        try:
            await complete(servicer.db, entry_id, response.task_id, response.session_id,
                           response.created_at.ToDatetime(datetime.UTC))
        except PyMongoError as exc:  # the task exists: answer it; a retry settles the entry
            log.warning("idempotency key not completed", extra={"task_id": response.task_id, "error": type(exc).__name__})
        return response

    return guarded


async def reserve(db, entry_id: str, request: scheduler_pb2.SubmitTaskRequest) -> scheduler_pb2.SubmitTaskResponse | None:
    """None when this submission now owns the key; else the earlier task's answer, or a 409."""
    for _ in range(2):
        now = ids.now()
        try:
            await mongo.durable(db, KEYS).insert_one({
                "_id": entry_id, "business_id": request.business_id, "request_hash": request.request_hash,
                "state": IN_PROGRESS, "reserved_at": now, "expires_at": now + TTL,
            })
            return None
        except DuplicateKeyError:
            pass
        found = await db[KEYS].find_one({"_id": entry_id, "business_id": request.business_id, "expires_at": {"$gt": now}})
        if found is not None:
            return await _existing(db, found, request.request_hash, now)
        await mongo.durable(db, KEYS).delete_one({"_id": entry_id, "expires_at": {"$lte": now}})  # expired
    raise _in_progress()


async def _existing(db, entry: dict, request_hash: str, now: datetime.datetime) -> scheduler_pb2.SubmitTaskResponse | None:
    if entry["request_hash"] != request_hash:
        raise AlreadyExists("Idempotency-Key: already used for a different request in the last 24 hours; "
                            "send a new key for a new task")
    if entry["state"] == DONE:
        return await _replay(db, entry)
    if entry["reserved_at"] > now - datetime.timedelta(seconds=IN_PROGRESS_SECONDS):
        raise _in_progress()
    # Its submitter died mid-way: answer the task it stored, or take the key over.
    task = await _stored_task(db, entry["business_id"], entry["_id"])
    if task is not None:
        return await _replay(db, await _complete_with(db, entry["_id"], task))
    taken = await mongo.durable(db, KEYS).update_one(
        {"_id": entry["_id"], "state": IN_PROGRESS, "reserved_at": entry["reserved_at"]}, {"$set": {"reserved_at": now}})
    if not taken.modified_count:
        raise _in_progress()
    return None


def _in_progress() -> Aborted:
    return Aborted("Idempotency-Key: a request with this key is still in progress; retry shortly",
                   headers=(("retry-after", str(RETRY_AFTER_SECONDS)),))


async def _replay(db, entry: dict) -> scheduler_pb2.SubmitTaskResponse:
    """The task the key created, with its status now."""
    task = await db[mongo.TASKS].find_one({"_id": entry["task_id"], "business_id": entry["business_id"]}, {"status": 1})
    reply = scheduler_pb2.SubmitTaskResponse(task_id=entry["task_id"], session_id=entry["session_id"],
                                             status=(task or {}).get("status", "pending"), replayed=True)
    reply.created_at.FromDatetime(entry["created_at"])
    return reply


async def complete(db, entry_id: str, task_id: str, session_id: str, created_at: datetime.datetime) -> dict | None:
    return await mongo.durable(db, KEYS).find_one_and_update(
        {"_id": entry_id},
        {"$set": {"state": DONE, "task_id": task_id, "session_id": session_id, "created_at": created_at}},
        return_document=ReturnDocument.AFTER,
    )


async def _complete_with(db, entry_id: str, task: dict) -> dict:
    # The entry was just read: it is there to update.
    return cast(dict, await complete(db, entry_id, task["_id"], task["session_id"], task["created_at"]))


async def _stored_task(db, business_id: str, entry_id: str) -> dict | None:
    return await db[mongo.TASKS].find_one({"business_id": business_id, "idempotency_id": entry_id},
                                          {"session_id": 1, "created_at": 1})


async def settle(db, entry_id: str, business_id: str) -> None:
    """After a failed SubmitTask: the key keeps the task if one was stored, else it is freed."""
    try:
        task = await _stored_task(db, business_id, entry_id)
        if task is not None:
            await _complete_with(db, entry_id, task)
        else:
            await mongo.durable(db, KEYS).delete_one({"_id": entry_id, "state": IN_PROGRESS})
    except PyMongoError as exc:  # left in progress: the next retry after IN_PROGRESS_SECONDS settles it
        log.warning("idempotency key not settled", extra={"error": type(exc).__name__})
