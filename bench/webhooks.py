"""Webhook delivery latency on the real stack: from the moment a task became terminal
(its record's updatedAt, written by the projection) to the signed POST arriving at a local
receiver, for N tasks (indexed answers, so they end quickly), p50/p99/max.

Usage: python bench/webhooks.py [tasks]
"""
import datetime
import json
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

import httpx

REPO = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from dev.stack import embedded  # noqa: E402
from tests.scripted_llm import ScriptedLLM  # noqa: E402
from tests.webhook_receiver import Receiver  # noqa: E402

QUESTION = "What is the top story on Hacker News?"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def wait_terminal(client: httpx.Client, task_id: str) -> dict:
    while True:
        record = client.get(f"/v1/tasks/{task_id}").json()
        if record["status"] in ("completed", "failed"):
            return record
        time.sleep(0.02)


def measure(client: httpx.Client, receiver: Receiver, count: int) -> list[float]:
    latencies = []
    for i in range(count):
        response = client.post("/v1/tasks", json={"endUserId": "bench", "task": QUESTION})
        assert response.status_code == 201, response.text
        record = wait_terminal(client, response.json()["taskId"])
        receiver.wait_for(i + 1, timeout=60)
        body = json.loads(receiver.requests[i][1])
        assert body["data"]["taskId"] == record["taskId"]
        ended = datetime.datetime.fromisoformat(record["updatedAt"]).timestamp()
        latencies.append((receiver.arrived_at[i] - ended) * 1000)
    return latencies


def main(count: int) -> None:
    llm = ScriptedLLM()
    os.environ.update(STABLEBROWSE_LLM_BASE_URL=llm.base_url, STABLEBROWSE_LLM_MODEL="scripted",
                      STABLEBROWSE_WEBHOOK_ALLOWED_HOSTS="localhost")
    receiver = Receiver()
    with tempfile.TemporaryDirectory() as state_dir:
        proc, info = embedded.start(pathlib.Path(state_dir))
        try:
            env = embedded.admin_env(pathlib.Path(state_dir), info)
            created = json.loads(subprocess.run([str(REPO / ".venv/bin/stablebrowse-admin"), "business", "create",
                                                 "bench", "--json"], env=env, capture_output=True, text=True,
                                                check=True).stdout)
            with httpx.Client(base_url=info["baseUrl"], headers={"Authorization": f"Bearer {created['apiKey']}"},
                              timeout=30) as client:
                assert client.put("/v1/webhook", json={"url": receiver.url()}).status_code == 200
                measure(client, receiver, 3)  # warm-up: connections, consumer group assignment
                receiver.requests.clear()
                receiver.arrived_at.clear()
                latencies = measure(client, receiver, count)
        finally:
            embedded.stop(proc)
            receiver.close()
            llm.close()
    print(f"webhook latency after terminal over {count} tasks: p50 {pct(latencies, 0.5):.0f} ms, "
          f"p99 {pct(latencies, 0.99):.0f} ms, max {max(latencies):.0f} ms, mean {statistics.mean(latencies):.0f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
