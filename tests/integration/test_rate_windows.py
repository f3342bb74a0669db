"""Per-minute rate windows (services/scheduler/quotas.py) on a clock the test sets: no waiting
for the wall clock. On the stack's MongoDB-protocol server, in a database of its own."""
import uuid

import pytest

from services.common import mongo
from services.common.errors import ResourceExhausted
from services.common.settings import MongoSettings
from services.scheduler import quotas

MINUTE = 29_500_000 * 60  # the start of some wall-clock minute (in 2026), in seconds since the epoch


@pytest.fixture
async def db(stack):
    name = f"rates-{uuid.uuid4().hex[:8]}"
    db = mongo.connect(MongoSettings(mongodb_uri=stack.mongodb_uri, mongodb_database=name))
    await db[mongo.BUSINESSES].insert_one(
        {"_id": "biz", "quota": {"requests_per_minute": 3, "max_concurrent": "unlimited"}, "active_tasks": 0})
    yield db
    await db.client.drop_database(name)
    await db.client.close()


class Clock:
    def __init__(self, at: float):
        self.at = at

    def __call__(self) -> float:
        return self.at


async def refusal(db, clock: Clock) -> ResourceExhausted:
    with pytest.raises(ResourceExhausted) as refused:
        await quotas.admit(db, "biz", clock)
    return refused.value


async def test_a_window_admits_its_limit_and_refuses_until_the_next_minute(db):
    clock = Clock(MINUTE + 45.0)
    for _ in range(3):
        await quotas.admit(db, "biz", clock)
    assert ("retry-after", "15") in (await refusal(db, clock)).headers
    clock.at = MINUTE + 59.5
    assert ("retry-after", "1") in (await refusal(db, clock)).headers
    clock.at = MINUTE + 60.0  # a new minute: a new window
    for _ in range(3):
        await quotas.admit(db, "biz", clock)
    assert ("retry-after", "60") in (await refusal(db, clock)).headers


async def test_refused_submissions_give_their_slot_back(db):
    clock = Clock(MINUTE + 10.0)
    for _ in range(3):
        await quotas.admit(db, "biz", clock)
    await refusal(db, clock)
    await refusal(db, clock)
    assert (await db[mongo.BUSINESSES].find_one({"_id": "biz"}))["active_tasks"] == 3
