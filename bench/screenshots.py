"""Step screenshots on the real stack with the scripted LLM, over the replica web's pages:

- bytes per step: each step's JPEG read back through Envoy (GET …/steps/{n}/screenshot)
- time per step spent on it: the worker's "step screenshot" log lines (screenshot_ms)

Usage: python bench/screenshots.py [rounds]   (each round: one task per page below, 3 steps each)
"""
import json
import pathlib
import statistics
import sys
import time

import httpx

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from harness import scripted_stack  # noqa: E402

from tests.scripted_llm import ScriptedLLM, finish  # noqa: E402

PAGES = ["https://news.ycombinator.com/", "https://en.wikipedia.org/wiki/Port_Ellery",
         "https://www.amazon.com/dp/B0D7K3LQ9X", "https://www.airbnb.com/s/Lisbon/homes"]


def wait_terminal(client: httpx.Client, task_id: str) -> dict:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        record = client.get(f"/v1/tasks/{task_id}").json()
        if record["status"] in ("completed", "failed"):
            return record
        time.sleep(0.2)
    raise TimeoutError(task_id)


def sizes_of_one_task(client: httpx.Client, llm: ScriptedLLM, url: str) -> list[int]:
    """Open the page, scroll once, finish: three steps, each with its JPEG."""
    script = llm.script({"action": "scroll", "text": "down"}, finish("done"))
    task = client.post("/v1/tasks", json={"endUserId": "bench", "task": f"Look ({script.marker})", "startUrl": url}).json()
    record = wait_terminal(client, task["taskId"])
    return [len(client.get(f"/v1/tasks/{task['taskId']}/steps/{s['n']}/screenshot").content)
            if s.get("hasScreenshot") else 0 for s in record["stepSummaries"]]


def logged_times(logs: pathlib.Path) -> list[float]:
    lines = (logs / "browser.log").read_text().splitlines()
    return [json.loads(line)["screenshot_ms"] for line in lines if '"step screenshot"' in line]


def main(rounds: int) -> None:
    with scripted_stack("shots") as bench:
        sizes_of_one_task(bench.client, bench.llm, PAGES[0])  # warm-up
        warm = len(logged_times(bench.state / "logs"))
        sizes = [n for _ in range(rounds) for url in PAGES for n in sizes_of_one_task(bench.client, bench.llm, url)]
        times = logged_times(bench.state / "logs")[warm:]
    shots = [n for n in sizes if n]
    print(f"screenshots bench: {rounds * len(PAGES)} browser tasks, {len(shots)} of {len(sizes)} steps with a"
          " screenshot (viewport 1280x720; a step without one went past STABLEBROWSE_SCREENSHOT_TIMEOUT_MS)")
    print(f"  bytes per step: median {statistics.median(shots) / 1000:.1f} kB   max {max(shots) / 1000:.1f} kB")
    print(f"  time per step:  median {statistics.median(times):.1f} ms   max {max(times):.1f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
