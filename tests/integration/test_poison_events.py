"""A poison event on the events topic goes to the dead-letter topic and the projection moves on."""
import asyncio
import datetime
import uuid

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from services.common import ids, mongo
from services.common.settings import MongoSettings
from stablebrowse.events.v1 import events_pb2
from stablebrowse.tasks.v1 import tasks_pb2

EVENTS = "stablebrowse.task-events"
DEAD = "stablebrowse.task-events.dead"


def step_event(task_id: str) -> bytes:
    event = events_pb2.TaskEvent(task_id=task_id, worker_id="w-poison",
                                 step=tasks_pb2.StepSummary(n=1, type="navigation", msg="opened", success=True))
    event.at.GetCurrentTime()
    return event.SerializeToString()


async def running_doc(db, task_id: str, steps) -> None:
    now = ids.now()
    later = now + datetime.timedelta(hours=1)  # the reaper must not end or hand back these made-up runs
    await db[mongo.TASKS].insert_one({
        "_id": task_id, "business_id": f"b-{task_id}", "session_id": "s", "end_user_id": "u", "task": "t",
        "status": "running", "worker_id": "w-poison", "attempts": 1, "step_summaries": steps, "visited_urls": [],
        "created_at": now, "updated_at": now, "heartbeat_at": later, "deadline_at": later})


async def dead_letters(bootstrap: str, wanted: set[bytes], timeout: float = 60) -> dict[bytes, dict]:
    """The dead letters whose value is one of `wanted`, with their headers."""
    consumer = AIOKafkaConsumer(DEAD, bootstrap_servers=bootstrap, auto_offset_reset="earliest",
                                group_id=f"dead-{uuid.uuid4().hex[:6]}")
    await consumer.start()
    found: dict[bytes, dict] = {}
    try:
        async with asyncio.timeout(timeout):
            while not wanted <= found.keys():
                for records in (await consumer.getmany(timeout_ms=500)).values():
                    for record in records:
                        if record.value in wanted:
                            found[record.value] = {k: v.decode() for k, v in record.headers}
    finally:
        await consumer.stop()
    return found


async def test_a_poison_event_is_dead_lettered_and_later_events_still_apply(stack):
    db = mongo.connect(MongoSettings(mongodb_uri=stack.mongodb_uri))
    poison_id, good_id = f"poison-{uuid.uuid4().hex[:8]}", f"good-{uuid.uuid4().hex[:8]}"
    await running_doc(db, poison_id, steps="not a list")  # every $push to it fails
    await running_doc(db, good_id, steps=[])
    poison, garbage, good = step_event(poison_id), b"\xff\x00 not a protobuf \x01", step_event(good_id)
    producer = AIOKafkaProducer(bootstrap_servers=stack.kafka)
    await producer.start()
    try:
        for value in (poison, garbage, good):  # one partition: the good event waits behind the others
            await producer.send_and_wait(EVENTS, value, partition=0)
    finally:
        await producer.stop()

    async with asyncio.timeout(60):
        while not (await db[mongo.TASKS].find_one({"_id": good_id}))["step_summaries"]:
            await asyncio.sleep(0.1)
    found = await dead_letters(stack.kafka, {poison, garbage})
    assert found[poison]["source"].startswith(f"{EVENTS}/0/") and "reason" in found[poison]
    assert found[garbage]["reason"] == "undecodable task event"
    await db.client.close()
