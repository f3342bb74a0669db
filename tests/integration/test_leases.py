"""The reaper's rules against the real MongoDB-protocol server, with an injected clock.

Each test works in a database of its own on the stack's server, so the stack's own
scheduler never sees these documents."""
import datetime
import uuid

import pytest

from services.common import mongo
from services.common.settings import MongoSettings
from services.scheduler import leases, quotas, tasks
from services.scheduler.reaper import Rules, reap
from services.scheduler.reconcile import Reconciler

T0 = datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC)
RULES = Rules(silence_seconds=20, pending_seconds=600, interval_seconds=5)


def at(seconds: float) -> datetime.datetime:
    return T0 + datetime.timedelta(seconds=seconds)


@pytest.fixture
async def db(stack):
    database = mongo.connect(MongoSettings(mongodb_uri=stack.mongodb_uri, mongodb_database=f"leases-{uuid.uuid4().hex[:8]}"))
    yield database
    await database.client.drop_database(database.name)
    await database.client.close()


class Dispatches:
    """Records redispatches; fails the ones named in `failing` (a Kafka outage for those)."""

    def __init__(self, failing: set[str] = frozenset()):
        self.failing = set(failing)
        self.sent: list[str] = []

    async def __call__(self, doc: dict) -> None:
        if doc["_id"] in self.failing:
            raise RuntimeError("dispatch failed")
        self.sent.append(doc["_id"])


async def add_running(db, task_id: str, heartbeat_s: float, deadline_s: float = 10_000, attempts: int = 1) -> None:
    await db[mongo.BUSINESSES].update_one({"_id": "biz"}, {"$inc": {"active_tasks": 1}}, upsert=True)
    await db[mongo.TASKS].insert_one({
        "_id": task_id, "business_id": "biz", "session_id": f"s-{task_id}", "status": tasks.RUNNING,
        "worker_id": "w1", "attempts": attempts, "slot_held": True, "created_at": at(0), "updated_at": at(0),
        "heartbeat_at": at(heartbeat_s), "deadline_at": at(deadline_s), "step_summaries": [], "visited_urls": []})


async def status(db, task_id: str) -> tuple:
    doc = await db[mongo.TASKS].find_one({"_id": task_id})
    return doc["status"], doc.get("error_code")


async def active(db) -> int:
    return (await db[mongo.BUSINESSES].find_one({"_id": "biz"}))["active_tasks"]


async def test_a_task_past_its_deadline_ends_timeout_whatever_its_heartbeats_say(db):
    await add_running(db, "busy", heartbeat_s=99, deadline_s=90)  # heartbeats fresh, deadline passed
    await reap(db, at(100), RULES, Dispatches(), heard_until=at(100), recovered_at=None)
    assert await status(db, "busy") == ("failed", "timeout")
    assert await active(db) == 0


async def test_silence_is_not_judged_past_what_the_event_path_has_delivered(db):
    await add_running(db, "quiet", heartbeat_s=0)
    dispatches = Dispatches()
    # Events stopped being applied at t=5 (Kafka, projection or MongoDB down): at t=60 the
    # heartbeats sent since may be waiting in Kafka, so the task is not judged silent.
    await reap(db, at(60), RULES, dispatches, heard_until=at(5), recovered_at=None)
    assert await status(db, "quiet") == ("running", None) and dispatches.sent == []
    # The path came back at t=50: silence counts from then, not from the last heartbeat.
    await reap(db, at(65), RULES, dispatches, heard_until=at(65), recovered_at=at(50))
    assert await status(db, "quiet") == ("running", None) and dispatches.sent == []
    # Still silent 20 s after the recovery: the worker is gone.
    await reap(db, at(71), RULES, dispatches, heard_until=at(71), recovered_at=at(50))
    assert await status(db, "quiet") == ("pending", None) and dispatches.sent == ["quiet"]


async def test_a_failed_redispatch_neither_stops_the_pass_nor_leaves_the_task_undispatched(db):
    await add_running(db, "a", heartbeat_s=0)
    await add_running(db, "b", heartbeat_s=0)
    failing = Dispatches(failing={"a"})
    await reap(db, at(30), RULES, failing, heard_until=at(30), recovered_at=None)
    assert failing.sent == ["b"]  # b was requeued and dispatched although a's dispatch failed
    assert await status(db, "a") == ("pending", None)
    assert (await db[mongo.TASKS].find_one({"_id": "a"})).get("needs_dispatch") is True

    working = Dispatches()
    await reap(db, at(31), RULES, working, heard_until=at(31), recovered_at=None)
    assert working.sent == ["a"]  # the next pass dispatched it: never left pending silently


async def test_a_release_that_raised_once_is_retried_and_the_count_stays_exact(db, monkeypatch):
    await add_running(db, "t", heartbeat_s=0, deadline_s=10)
    real_release = quotas.release_slot
    raised = []

    async def release_raising_once(database, business_id):
        if not raised:
            raised.append(business_id)
            raise ConnectionError("injected: MongoDB went away after the status update")
        await real_release(database, business_id)

    monkeypatch.setattr(quotas, "release_slot", release_raising_once)
    # Ends it; the release raises, and the pass's sweep of ended tasks still holding a slot retries it.
    await reap(db, at(20), RULES, Dispatches(), heard_until=at(20), recovered_at=None)
    assert raised and await status(db, "t") == ("failed", "timeout")
    assert await active(db) == 0
    await reap(db, at(21), RULES, Dispatches(), heard_until=at(21), recovered_at=None)  # and never twice
    assert await active(db) == 0


async def test_drift_is_repaired_from_the_tasks_only_when_it_persists(db):
    await add_running(db, "t", heartbeat_s=0)
    await db[mongo.BUSINESSES].update_one({"_id": "biz"}, {"$set": {"active_tasks": 4}})  # drifted high
    reconciler = Reconciler()
    assert await reconciler.run_once(db) == 0  # seen once: may be a submission in progress
    assert await active(db) == 4
    assert await reconciler.run_once(db) == 1
    assert await active(db) == 1


async def test_the_event_path_clock_follows_ticks_and_notices_gaps(db):
    for partition in range(2):
        await leases.record_tick(db, partition, at(0), gap_seconds=17)
    assert await leases.hearing(db, partitions=3) == (None, at(0))  # a partition never heard: no judging
    await leases.record_tick(db, 2, at(1), gap_seconds=17)
    await leases.record_tick(db, 0, at(5), gap_seconds=17)
    heard_until, recovered = await leases.hearing(db, partitions=3)
    assert heard_until == at(0)  # partition 1 is heard only up to t=0
    await leases.record_tick(db, 1, at(40), gap_seconds=17)  # 40 s without ticks on partition 1
    heard_until, recovered = await leases.hearing(db, partitions=3)
    assert heard_until == at(1) and recovered == at(40)
