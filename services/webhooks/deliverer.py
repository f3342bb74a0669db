"""Sends due deliveries: signed the Standard Webhooks way with the business's current
secret, to its current URL, retried with the configured delays (same webhook-id)."""
import asyncio
import datetime
import logging
import time

from services.common import ids, vault
from services.common import webhooks as common
from services.webhooks import queue
from services.webhooks.sender import Attempt, Sender

log = logging.getLogger(__name__)


class Deliverer:
    def __init__(self, db, sealer: vault.Vault, sender: Sender, delays: list[float], poll_seconds: float,
                 concurrency: int):
        self.db = db
        self.vault = sealer
        self.sender = sender
        self.delays = delays
        self.poll_seconds = poll_seconds
        self.concurrency = concurrency
        self.wake = asyncio.Event()
        self.in_flight: set[asyncio.Task] = set()

    async def run(self) -> None:
        """Claims what is due while there is room, then waits for a wake-up or the poll interval."""
        while True:
            self.wake.clear()
            room = self.concurrency - len(self.in_flight)
            due = await self._claim(room) if room > 0 else []
            for doc in due:
                task = asyncio.create_task(self.deliver(doc), name=f"deliver {doc['_id']}")
                self.in_flight.add(task)
                task.add_done_callback(self._finished)
            if len(due) < room or room <= 0:
                try:
                    await asyncio.wait_for(self.wake.wait(), self.poll_seconds)
                except TimeoutError:
                    pass

    async def stop(self) -> None:
        """Abandons attempts in progress; their leases run out and they are sent again."""
        for task in list(self.in_flight):
            task.cancel()
        await asyncio.gather(*self.in_flight, return_exceptions=True)

    async def _claim(self, room: int) -> list[dict]:
        try:
            return await queue.claim_due(self.db, ids.now(), room)
        except Exception:
            log.exception("claiming deliveries failed")
            return []

    def _finished(self, task: asyncio.Task) -> None:
        self.in_flight.discard(task)
        self.wake.set()

    async def deliver(self, doc: dict) -> None:
        try:
            await self._attempt(doc)
        except Exception:
            # The lease runs out and the delivery is claimed again.
            log.exception("delivery attempt failed", extra={"delivery_id": doc["_id"]})

    async def _attempt(self, doc: dict) -> None:
        config = await self.db[common.WEBHOOKS].find_one({"_id": doc["business_id"]})
        if config is None or doc["type"] not in config["events"]:
            await queue.cancel(self.db, doc, ids.now())
            log.info("webhook canceled: no longer configured", extra={"delivery_id": doc["_id"]})
            return
        body = doc["payload"].encode()
        await self._send(doc, config, body)

    async def _send(self, doc: dict, config: dict, body: bytes) -> None:
        timestamp = int(time.time())
        try:
            secret = common.open_secret(self.vault, config)
        except vault.VaultError:
            attempt = Attempt(None, "signing: the webhook secret does not open with the vault keys", 0)
        else:
            headers = {
                "content-type": "application/json",
                "webhook-id": doc["_id"],
                "webhook-timestamp": str(timestamp),
                "webhook-signature": common.signature(secret, doc["_id"], timestamp, body),
            }
            attempt = await self.sender.send(config["url"], headers, body)
        now = ids.now()
        fields = await queue.record(self.db, doc, attempt, self.delays, now)
        latency_ms = (now - doc["created_at"]) / datetime.timedelta(milliseconds=1)
        log.info("webhook attempt", extra={
            "delivery_id": doc["_id"], "business_id": doc["business_id"], "attempt": doc["attempts"] + 1,
            "status_code": attempt.status_code, "error": attempt.error, "duration_ms": attempt.duration_ms,
            "outcome": fields["status"], "since_queued_ms": round(latency_ms)})
