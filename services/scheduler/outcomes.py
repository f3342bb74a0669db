"""TaskOutcomes: the terminal record of a task, for the webhooks service's intake, which sends
it as the webhook's body (services/webhooks/intake.py)."""
from typing import Any

import grpc

from services.common import mongo
from services.common.records import task_record, timestamp
from services.scheduler import tasks
from stablebrowse.scheduler.v1 import outcomes_pb2, outcomes_pb2_grpc

TERMINAL = (tasks.COMPLETED, tasks.FAILED)


class OutcomeServicer(outcomes_pb2_grpc.TaskOutcomesServicer):
    def __init__(self, db: Any):
        self.db = db

    async def GetOutcome(self, request: outcomes_pb2.GetOutcomeRequest,
                         context: grpc.aio.ServicerContext) -> outcomes_pb2.Outcome:
        doc = await self.db[mongo.TASKS].find_one({"_id": request.task_id}, {"html_dump": 0})
        if doc is None or doc["status"] not in TERMINAL:
            return outcomes_pb2.Outcome(terminal=False)
        return outcomes_pb2.Outcome(terminal=True, business_id=doc["business_id"], task=task_record(doc),
                                    updated_at=timestamp(doc["updated_at"]))
