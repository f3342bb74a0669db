"""Indexed answers against the browser path, side by side in one run, on the real stack
with the scripted LLM (so model time is taken out of the browser path's numbers):

- POST -> terminal through Envoy (the client polls GET every 5 ms), p50/p99, for
  questions the indexer answers, and for the same questions with indexed answers off
  (a second business: `stablebrowse-admin business set-fastpath … off`), and their ratio
- indexed answers while the worker's browser slots are busy with slow browser tasks
  (an indexed answer must not wait behind them)
- where the fast path's time goes: the worker's indexer call, from the browser log

Usage: python bench/fastpath.py [fast-tasks] [browser-tasks]
Before/after the scheduler answered at submit: STABLEBROWSE_SUBMIT_FAST_PATH=off python bench/fastpath.py
"""
import json
import os
import pathlib
import statistics
import sys
import tempfile
import time

import httpx

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from harness import admin, pct  # noqa: E402

from dev.stack import embedded  # noqa: E402
from tests import page_readers as read  # noqa: E402
from tests.scripted_llm import Delay, ScriptedLLM, finish  # noqa: E402

HN = "https://news.ycombinator.com/"
QUILL = "https://en.wikipedia.org/wiki/Quill_(programming_language)"
KETTLE = "https://www.amazon.com/dp/B0D7K3LQ9X"
LISBON = "https://www.airbnb.com/s/Lisbon/homes"
# (question, startUrl, page, reader): one question per site and kind of start.
QUESTIONS = [
    ("What is the top story on Hacker News?", None, HN, read.hn_title),
    ("How many points does the top story have?", HN, HN, read.hn_points),
    ("Who designed Quill according to Wikipedia?", None, QUILL, read.infobox("Designed by")),
    ("What is the price?", KETTLE, KETTLE, read.amazon_price),
    ("What is the first listing?", LISBON, LISBON, read.airbnb_first),
]
DISCOVERY = "Pick the web page to open first"
STALL = "a slow browser task for the bench"


def client_for(base_url: str, key: str) -> httpx.Client:
    return httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {key}"}, timeout=30)


def post_to_terminal(client: httpx.Client, question: str, start_url: str | None) -> tuple[float, dict]:
    body = {"endUserId": "bench", "task": question, **({"startUrl": start_url} if start_url else {})}
    began = time.perf_counter()
    response = client.post("/v1/tasks", json=body)
    assert response.status_code == 201, response.text
    task_id = response.json()["taskId"]
    while True:
        record = client.get(f"/v1/tasks/{task_id}").json()
        if record["status"] in ("completed", "failed"):
            return (time.perf_counter() - began) * 1000, record
        time.sleep(0.005)


def run(client: httpx.Client, count: int) -> tuple[list[float], list[dict]]:
    times, records = [], []
    for i in range(count):
        question, start_url, _, _ = QUESTIONS[i % len(QUESTIONS)]
        ms, record = post_to_terminal(client, question, start_url)
        times.append(ms)
        records.append(record)
    return times, records


def indexer_calls(state: pathlib.Path) -> list[float]:
    """Indexed answers' time inside the services: the worker's indexer call (browser log), or
    the scheduler's whole answer at submit, indexer call + insert + event (scheduler log)."""
    found = []
    for log, wanted in (("browser.log", "indexer asked"), ("scheduler.log", "task answered at submit")):
        lines = (state / "logs" / log).read_text().splitlines()
        events = [json.loads(line) for line in lines if line.startswith("{")]
        found += [e["ms"] for e in events if e.get("msg") == wanted and e.get("answered", True)]
    return found


def main(fast_count: int, browser_count: int) -> None:
    llm = ScriptedLLM()
    os.environ.update(STABLEBROWSE_LLM_BASE_URL=llm.base_url, STABLEBROWSE_LLM_MODEL="scripted")
    for question, _, page, reader in QUESTIONS:
        reading = read.reading(reader)
        llm.script(lambda p, page=page, reading=reading: read.go(page) if DISCOVERY in p else reading(p), marker=question)
    llm.script(Delay(4, finish("done")), marker=STALL)
    with tempfile.TemporaryDirectory(prefix="sb-bench-fastpath-") as tmp:
        state = pathlib.Path(tmp)
        proc, info = embedded.start(state)
        try:
            env = embedded.admin_env(state, info)
            fast_biz = json.loads(admin(env, "business", "create", "bench-fast", "--json"))
            slow_biz = json.loads(admin(env, "business", "create", "bench-browser", "--json"))
            admin(env, "business", "set-fastpath", slow_biz["businessId"], "off")
            for biz in (fast_biz, slow_biz):  # indexed answers can pass a new business's 600 per minute
                admin(env, "quota", "set", biz["businessId"], "--requests-per-minute", "unlimited",
                      "--max-concurrent", "unlimited")
            fast, slow = client_for(info["baseUrl"], fast_biz["apiKey"]), client_for(info["baseUrl"], slow_biz["apiKey"])
            run(fast, len(QUESTIONS))  # warm-up: connections, consumers, Chromium, the index
            run(slow, len(QUESTIONS))
            calls_before = len(indexer_calls(state))
            fast_ms, fast_records = run(fast, fast_count)
            slow_ms, slow_records = run(slow, browser_count)
            calls = indexer_calls(state)[calls_before:]
            stalls = [slow.post("/v1/tasks", json={"endUserId": f"stall-{i}", "task": STALL, "startUrl": HN}).json()
                      for i in range(2)]  # both browser slots (worker concurrency 2) busy for ~4 s
            time.sleep(1.0)
            busy_ms, busy_records = run(fast, 20)
            for stall in stalls:  # let them end before the stack stops
                while slow.get(f"/v1/tasks/{stall['taskId']}").json()["status"] not in ("completed", "failed"):
                    time.sleep(0.1)
        finally:
            embedded.stop(proc)
            llm.close()
    indexed = sum(r["status"] == "completed" and r["stepSummaries"][1]["type"] == "planning" for r in fast_records)
    browsed = sum(r["status"] == "completed" for r in slow_records)
    # The browser's scripted model answers with the bare value it read (tests/page_readers.py).
    same = all(s["result"] in f["result"] for f, s in zip(fast_records, slow_records, strict=False))
    f50, f99, s50, s99 = statistics.median(fast_ms), pct(fast_ms, .99), statistics.median(slow_ms), pct(slow_ms, .99)
    print(f"fast path bench: POST -> terminal through Envoy, sequential, {len(QUESTIONS)} questions in turn "
          f"(HN, Wikipedia, Amazon, Airbnb), client polls every 5 ms")
    print(f"  indexed  ({indexed}/{fast_count} answered from the index): p50 {f50:7.1f} ms   p99 {f99:7.1f} ms"
          f"   (goal p50 <= 15, p99 <= 60)")
    print(f"  browser  ({browsed}/{browser_count} completed, scripted LLM):    p50 {s50:7.1f} ms   p99 {s99:7.1f} ms")
    print(f"  ratio (browser / indexed): p50 {s50 / f50:.1f}x, p99 {s99 / f99:.1f}x   (goal >= 20x)")
    print(f"  same values on both paths: {same}")
    busy_indexed = sum(r["status"] == "completed" for r in busy_records)
    print(f"  indexed while 2 browser tasks hold both slots ({busy_indexed}/20): p50 {statistics.median(busy_ms):7.1f} ms"
          f"   p99 {pct(busy_ms, .99):7.1f} ms")
    if calls:
        where = "worker -> indexer call" if os.environ.get("STABLEBROWSE_SUBMIT_FAST_PATH") == "off" else \
            "scheduler answer at submit (indexer call, insert, event)"
        print(f"  {where}: median {statistics.median(calls):.1f} ms, p99 {pct(calls, .99):.1f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100, int(sys.argv[2]) if len(sys.argv) > 2 else 20)
