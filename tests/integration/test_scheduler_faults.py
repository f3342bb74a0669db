"""SchedulerService under injected faults: a submission cancelled after its insert, a turn
claimed while an earlier turn of its session was requeued, a task handed back, a slow
release of a concurrency slot.

A real scheduler servicer in this process, on the stack's MongoDB-protocol server (a
database of its own) and Kafka (topics of their own)."""
import asyncio
import uuid

import grpc
import pytest

from services.common import ids, kafka, mongo, runtime
from services.common.failures import ErrorCode, TaskFailure
from services.common.settings import KafkaSettings, MongoSettings
from services.scheduler import quotas, tasks
from services.scheduler.reaper import Rules, reap
from services.scheduler.servicer import SchedulerServicer
from stablebrowse.events.v1 import events_pb2
from stablebrowse.scheduler.v1 import scheduler_pb2, scheduler_pb2_grpc
from stablebrowse.tasks.v1 import tasks_pb2


class Scheduler:
    def __init__(self, db, stub, inserted: asyncio.Event, stall: dict):
        self.db, self.stub, self.inserted, self.stall = db, stub, inserted, stall


@pytest.fixture
async def scheduler(stack):
    name = f"faults-{uuid.uuid4().hex[:8]}"
    settings = KafkaSettings(kafka_bootstrap_servers=stack.kafka, topic_prefix=name)
    await kafka.ensure_topics(settings)
    db = mongo.connect(MongoSettings(mongodb_uri=stack.mongodb_uri, mongodb_database=name))
    producer = await kafka.start_producer(settings)
    inserted, stall = asyncio.Event(), {"on": False}

    async def after_insert(task_id: str) -> None:  # the fault: a submission that stalls after its insert
        inserted.set()
        if stall["on"]:
            await asyncio.Event().wait()

    servicer = SchedulerServicer(db, producer, kafka.dispatch_topic(settings), 60.0, after_insert=after_insert)
    server, port, _ = runtime.new_server("127.0.0.1:0")
    scheduler_pb2_grpc.add_SchedulerServiceServicer_to_server(servicer, server)
    await server.start()
    async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
        yield Scheduler(db, scheduler_pb2_grpc.SchedulerServiceStub(channel), inserted, stall)
    await server.stop(0)
    await producer.stop()
    await db.client.drop_database(name)
    await db.client.close()


async def wait_until(predicate, timeout: float = 20) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await predicate():
        assert asyncio.get_running_loop().time() < deadline, "condition not reached in time"
        await asyncio.sleep(0.05)


def submit_request(session_id: str | None = None) -> scheduler_pb2.SubmitTaskRequest:
    request = scheduler_pb2.SubmitTaskRequest(business_id="biz", end_user_id="u", task="t", max_steps=5)
    if session_id:
        request.session_id = session_id
    return request


async def active(db) -> int:
    return (await db[mongo.BUSINESSES].find_one({"_id": "biz"}))["active_tasks"]


async def test_a_submission_cancelled_after_its_insert_gives_its_slot_back_once(scheduler):
    db = scheduler.db
    await db[mongo.BUSINESSES].insert_one({"_id": "biz", "active_tasks": 0, "quota": {"max_concurrent": 1}})
    scheduler.stall["on"] = True
    with pytest.raises(grpc.aio.AioRpcError) as caught:  # the gateway's deadline, shorter than the work
        await scheduler.stub.SubmitTask(submit_request(), timeout=1.0)
    assert caught.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED and scheduler.inserted.is_set()

    async def withdrawn() -> bool:
        return await db[mongo.TASKS].count_documents({}) == 0 and await active(db) == 0
    await wait_until(withdrawn)
    # A reaper pass that would end any stale pending task releases nothing more.
    await reap(db, ids.now(), Rules(20, pending_seconds=0), lambda doc: asyncio.sleep(0), None, None)
    assert await active(db) == 0
    # The business may use its one slot: not refused, not over.
    scheduler.stall["on"] = False
    await scheduler.stub.SubmitTask(submit_request(), timeout=10)
    assert await active(db) == 1


async def test_a_requeued_turn_runs_before_the_sessions_later_turn(scheduler):
    db = scheduler.db
    await db[mongo.BUSINESSES].insert_one({"_id": "biz", "active_tasks": 0})
    first = await scheduler.stub.SubmitTask(submit_request(), timeout=10)
    second = await scheduler.stub.SubmitTask(submit_request(first.session_id), timeout=10)
    claim = scheduler_pb2.ClaimTaskRequest(task_id=first.task_id, worker_id="w1")
    assert (await scheduler.stub.ClaimTask(claim, timeout=10)).claimed
    await tasks.hand_back(db, {"_id": first.task_id}, count_attempt=True)  # its worker was lost

    later = scheduler_pb2.ClaimTaskRequest(task_id=second.task_id, worker_id="w2")
    refused = await scheduler.stub.ClaimTask(later, timeout=10)
    assert not refused.claimed and refused.earlier_turn_unfinished

    rerun = await scheduler.stub.ClaimTask(scheduler_pb2.ClaimTaskRequest(task_id=first.task_id, worker_id="w2"))
    assert rerun.claimed
    await db[mongo.TASKS].update_one({"_id": first.task_id}, {"$set": {"status": "completed", "result": "done"}})
    claimed = await scheduler.stub.ClaimTask(later, timeout=10)
    assert claimed.claimed and "done" in claimed.spec.previous_context


async def test_a_task_handed_back_by_its_worker_is_pending_again_without_losing_an_attempt(scheduler):
    db = scheduler.db
    await db[mongo.BUSINESSES].insert_one({"_id": "biz", "active_tasks": 0})
    task_id = (await scheduler.stub.SubmitTask(submit_request(), timeout=10)).task_id
    await scheduler.stub.ClaimTask(scheduler_pb2.ClaimTaskRequest(task_id=task_id, worker_id="w1"), timeout=10)

    stranger = scheduler_pb2.ReleaseTaskRequest(task_id=task_id, worker_id="w2", reason="worker stopping")
    assert not (await scheduler.stub.ReleaseTask(stranger, timeout=10)).released  # only its worker may
    mine = scheduler_pb2.ReleaseTaskRequest(task_id=task_id, worker_id="w1", reason="worker stopping")
    assert (await scheduler.stub.ReleaseTask(mine, timeout=10)).released

    doc = await db[mongo.TASKS].find_one({"_id": task_id})
    assert doc["status"] == "pending" and doc["attempts"] == 0
    assert "needs_dispatch" not in doc  # dispatched again at once


def step_of(task_id: str, worker_id: str, claim_id: str, msg: str) -> events_pb2.TaskEvent:
    return events_pb2.TaskEvent(task_id=task_id, worker_id=worker_id, claim_id=claim_id,
                                step=tasks_pb2.StepSummary(n=1, type="navigation", msg=msg, success=True))


async def test_a_late_event_of_an_earlier_run_on_the_same_worker_is_not_applied_to_its_rerun(scheduler):
    db = scheduler.db
    await db[mongo.BUSINESSES].insert_one({"_id": "biz", "active_tasks": 0})
    task_id = (await scheduler.stub.SubmitTask(submit_request(), timeout=10)).task_id
    claim = scheduler_pb2.ClaimTaskRequest(task_id=task_id, worker_id="w1")
    first = await scheduler.stub.ClaimTask(claim, timeout=10)
    lost_browser = scheduler_pb2.ReleaseTaskRequest(task_id=task_id, worker_id="w1", reason="browser lost")
    assert (await scheduler.stub.ReleaseTask(lost_browser, timeout=10)).released
    rerun = await scheduler.stub.ClaimTask(claim, timeout=10)
    assert first.claim_id and rerun.claim_id and first.claim_id != rerun.claim_id

    assert not await tasks.apply_event(db, step_of(task_id, "w1", first.claim_id, "from the lost run"))
    assert await tasks.apply_event(db, step_of(task_id, "w1", rerun.claim_id, "from the rerun"))
    doc = await db[mongo.TASKS].find_one({"_id": task_id})
    assert [s["msg"] for s in doc["step_summaries"]] == ["from the rerun"]


def completed_of(task_id: str, worker_id: str, claim_id: str) -> events_pb2.TaskEvent:
    return events_pb2.TaskEvent(task_id=task_id, worker_id=worker_id, claim_id=claim_id,
                                completed=events_pb2.TaskCompleted(result="done", total_steps=1))


class SlowDecrement:
    """quotas.release_slot, held back until `go` is set; `reached` is set when it is called."""

    def __init__(self, monkeypatch):
        self.reached, self.go, self.real = asyncio.Event(), asyncio.Event(), quotas.release_slot
        monkeypatch.setattr(quotas, "release_slot", self)

    async def __call__(self, database, business_id: str) -> None:
        self.reached.set()
        await self.go.wait()
        await self.real(database, business_id)


@pytest.mark.parametrize("ending", ["completed by its worker", "cancelled by its caller"])
async def test_a_task_read_as_ended_no_longer_holds_its_slot(scheduler, monkeypatch, ending):
    # A caller who waits until GET shows the task ended and submits again must not be refused:
    # the slot is given back before the task can be read as ended, however it ends.
    db = scheduler.db
    await db[mongo.BUSINESSES].insert_one({"_id": "biz", "active_tasks": 0, "quota": {"max_concurrent": 1}})
    task_id = (await scheduler.stub.SubmitTask(submit_request(), timeout=10)).task_id
    claim = await scheduler.stub.ClaimTask(scheduler_pb2.ClaimTaskRequest(task_id=task_id, worker_id="w1"), timeout=10)
    decrement = SlowDecrement(monkeypatch)
    if ending == "completed by its worker":
        end = asyncio.ensure_future(tasks.apply_event(db, completed_of(task_id, "w1", claim.claim_id)))
    else:
        end = asyncio.ensure_future(tasks.cancel(db, "biz", task_id))  # CancelTask's database part
    await asyncio.wait_for(decrement.reached.wait(), 10)
    get = scheduler_pb2.GetTaskRequest(business_id="biz", task_id=task_id)
    assert (await scheduler.stub.GetTask(get, timeout=10)).status == "running"  # not ended while it holds the slot
    decrement.go.set()
    await end
    assert (await scheduler.stub.GetTask(get, timeout=10)).status in ("completed", "failed")
    await scheduler.stub.SubmitTask(submit_request(), timeout=10)  # its one slot is free at once
    assert await active(db) == 1


async def test_a_task_requeued_while_it_was_ending_holds_its_slot_again(scheduler, monkeypatch):
    db = scheduler.db
    await db[mongo.BUSINESSES].insert_one({"_id": "biz", "active_tasks": 0})
    task_id = (await scheduler.stub.SubmitTask(submit_request(), timeout=10)).task_id
    await scheduler.stub.ClaimTask(scheduler_pb2.ClaimTaskRequest(task_id=task_id, worker_id="w1"), timeout=10)
    decrement = SlowDecrement(monkeypatch)
    timeout = TaskFailure(ErrorCode.ERROR_CODE_TIMEOUT, "deadline")
    end = asyncio.ensure_future(tasks.fail(db, {"_id": task_id, "business_id": "biz"}, tasks.RUNNING, timeout))
    await asyncio.wait_for(decrement.reached.wait(), 10)
    assert await tasks.hand_back(db, {"_id": task_id}, count_attempt=True) is not None  # the reaper: worker lost
    decrement.go.set()
    assert not await end  # not ended: it had been put back to pending
    doc = await db[mongo.TASKS].find_one({"_id": task_id})
    assert doc["status"] == "pending" and doc["slot_held"] is True
    assert await active(db) == 1
