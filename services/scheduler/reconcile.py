"""Repairs drift of businesses.active_tasks from the tasks themselves.

The counter should equal the number of the business's tasks that hold a slot
(`slot_held`). A submission in progress has incremented the counter a moment before its
task is inserted, so one look can see a difference that is not drift: a business is
repaired only when the same difference (same counter, same count) is seen on two
passes in a row, and only if the counter still has the value seen (compare-and-set).
"""
import logging

from services.common import mongo

log = logging.getLogger(__name__)


class Reconciler:
    def __init__(self) -> None:
        self.suspects: dict[str, tuple[int, int]] = {}  # business -> (counter, held) seen last pass

    async def run_once(self, db) -> int:
        """One pass over every business; returns how many counters were repaired."""
        repaired, seen = 0, {}
        async for business in db[mongo.BUSINESSES].find({}, {"active_tasks": 1}):
            counter = business.get("active_tasks", 0)
            held = await db[mongo.TASKS].count_documents({"business_id": business["_id"], "slot_held": True})
            if counter == held:
                continue
            seen[business["_id"]] = (counter, held)
            if self.suspects.get(business["_id"]) == (counter, held):
                repaired += await _repair(db, business["_id"], counter, held)
        self.suspects = seen
        return repaired


async def _repair(db, business_id: str, counter: int, held: int) -> int:
    result = await mongo.durable(db, mongo.BUSINESSES).update_one(
        {"_id": business_id, "active_tasks": counter}, {"$set": {"active_tasks": held}})
    if result.modified_count:
        log.warning("active_tasks drift repaired", extra={"business_id": business_id, "was": counter, "now": held})
    return result.modified_count
