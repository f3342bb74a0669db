"""Agent numbers, side by side in one run, on the real stack with the scripted LLM
(so model speed is taken out and what is left is ours):

- POST -> first browser action (the worker's page.goto starts), warm pool, p50/p99
- agent overhead per step, excluding LLM time (observe + prompt + act + report), median/p99
- prompt size per step (characters, and tokens as the endpoint counts them)
- peak PSS per concurrent task with 8 tasks at once (worker + Playwright driver + Chromium)

Usage: python bench/agent.py [tasks] [--no-pss] [--profile]
  --profile: py-spy records the browser worker while the measured tasks run (bench/profiles/browser.txt)   (MiniWoB++ with the local model: bench/miniwob.py)
"""
import json
import os
import pathlib
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import httpx

REPO = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench import submit  # noqa: E402
from dev.stack import embedded  # noqa: E402
from tests.scripted_llm import Delay, ScriptedLLM, finish  # noqa: E402

HN = "https://news.ycombinator.com/"
PROFILE = REPO / "bench" / "profiles" / "browser.txt"


def click_new(prompt: str) -> dict:
    return {"action": "click", "ref": re.search(r'\[(e\d+)\] link "new"', prompt).group(1)}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def tree_pids(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                ppid = int(open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def pss_kib(root: int) -> int:
    total = 0
    for pid in tree_pids(root):
        try:
            for line in open(f"/proc/{pid}/smaps_rollup"):
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


def agent_log(state: pathlib.Path) -> list[dict]:
    lines = (state / "logs" / "browser.log").read_text().splitlines()
    return [json.loads(line) for line in lines if line.startswith("{")]


def run_tasks(client: httpx.Client, script, count: int, concurrently: bool = False) -> list[dict]:
    body = {"endUserId": "bench", "task": f"What is the newest story? ({script.marker})", "startUrl": HN}
    ids = []
    for i in range(count):
        ids.append(client.post("/v1/tasks", json={**body, "endUserId": f"bench-{i}"}).json()["taskId"])
        if not concurrently:
            wait_done(client, ids[-1])
    return [wait_done(client, task_id) for task_id in ids]


def wait_done(client: httpx.Client, task_id: str, timeout: float = 120) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        record = client.get(f"/v1/tasks/{task_id}").json()
        if record["status"] in ("completed", "failed"):
            return record
        time.sleep(0.05)
    raise TimeoutError(task_id)


def spy_on(pid: int) -> subprocess.Popen:
    submit.ensure_tools(profile=True)
    PROFILE.parent.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen([str(submit.PY_SPY), "record", "--pid", str(pid), "--rate", "200", "--gil", "--format", "raw",
                             "--output", str(PROFILE)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main(count: int, with_pss: bool = True, profile: bool = False) -> None:
    llm = ScriptedLLM()
    os.environ.update(STABLEBROWSE_LLM_BASE_URL=llm.base_url, STABLEBROWSE_WORKER_CONCURRENCY="8",
                      STABLEBROWSE_LLM_MODEL="scripted")
    with tempfile.TemporaryDirectory(prefix="sb-bench-agent-") as tmp:
        state = pathlib.Path(tmp)
        proc, info = embedded.start(state)
        try:
            env = embedded.admin_env(state, info)
            admin = str(REPO / ".venv/bin/stablebrowse-admin")
            business = json.loads(subprocess.run([admin, "business", "create", "bench", "--json"], env=env,
                                                 capture_output=True, text=True, check=True).stdout)
            subprocess.run([admin, "quota", "set", business["businessId"], "--requests-per-minute", "unlimited",
                            "--max-concurrent", "unlimited"], env=env, capture_output=True, check=True)
            key = business["apiKey"]
            client = httpx.Client(base_url=info["baseUrl"], headers={"Authorization": f"Bearer {key}"}, timeout=30)
            # Every task: step 1 clicks "new", step 2 finishes.
            script = llm.script(lambda p: click_new(p) if "Step 1 of" in p else finish("done"))
            run_tasks(client, script, 2)  # warm-up: Chromium, Kafka consumer, connection pools
            began_lines = len(agent_log(state))
            spy = spy_on(json.loads((state / "stack.json").read_text())["pids"]["browser"]) if profile else None
            records = run_tasks(client, script, count)
            if spy is not None:
                spy.send_signal(signal.SIGINT)  # py-spy writes what it has recorded and exits
                spy.wait()
            log = agent_log(state)[began_lines:]
            first = [e["since_created_ms"] for e in log if e.get("msg") == "first browser action"]
            steps = [e for e in log if e.get("msg") == "agent step"]
            overhead = [e["overhead_ms"] for e in steps]
            chars = [e["prompt_chars"] for e in steps]
            tokens = [e["prompt_tokens"] for e in steps]
            ok = sum(r["status"] == "completed" for r in records)
            print(f"load average {os.getloadavg()[0]:.1f}")
            print(f"agent bench, {count} sequential tasks on the HN replica ({ok} completed), scripted LLM, warm pool")
            print(f"  POST -> first browser action: p50 {statistics.median(first):.0f} ms, p99 {pct(first, .99):.0f} ms (goal p50 <= 400)")
            print(f"  agent overhead per step (excl. LLM): median {statistics.median(overhead):.0f} ms, "
                  f"p99 {pct(overhead, .99):.0f} ms over {len(steps)} steps (goal <= 150)")
            shots = [e["screenshot_ms"] for e in log if e.get("msg") == "step screenshot"]
            if shots:
                print(f"  step screenshot: median {statistics.median(shots):.0f} ms ({len(shots)} shots; "
                      "taken while the agent goes on, so not all of it is in the overhead)")
            durations = [r["durationMs"] for r in records if "durationMs" in r]
            print(f"  task duration on the worker (claim -> outcome, 2 steps): median {statistics.median(durations):.0f} ms")
            for action in sorted({e["action"] for e in steps}):
                these = [e for e in steps if e["action"] == action]
                print(f"    {action:>8}: observe {statistics.median(e['observe_ms'] for e in these):.0f} ms, "
                      f"act + report {statistics.median(e['act_ms'] for e in these):.0f} ms "
                      f"(settle {statistics.median(e.get('settle_ms', 0) for e in these):.0f} ms"
                      + "".join(f", {name} {statistics.median(e.get(f'{name}_ms', 0) for e in these):.0f} ms"
                                for name in ("pictured", "target", "perform") if f"{name}_ms" in these[0]) + ")")
            print(f"  prompt per step: median {statistics.median(chars):.0f} chars, ~{statistics.median(tokens):.0f} tokens "
                  f"(scripted endpoint counts chars/4; bench/miniwob.py reports the real model's count)")

            if profile:
                print("  browser worker: share of GIL-holding samples (inclusive) while the tasks ran")
                for frame, share in submit.hottest(PROFILE, 16):
                    print(f"    {share:6.1%}  {frame[:150]}")
            if not with_pss:
                return
            worker = json.loads((state / "stack.json").read_text())["pids"]["browser"]
            idle = pss_kib(worker)
            stall = llm.script(Delay(6, finish("done")))
            peak = [idle]
            sampling = threading.Event()

            def sample() -> None:
                while not sampling.is_set():
                    peak.append(pss_kib(worker))
                    time.sleep(0.25)

            sampler = threading.Thread(target=sample)
            sampler.start()
            concurrent = run_tasks(client, stall, 8, concurrently=True)
            sampling.set()
            sampler.join()
            per_task = (max(peak) - idle) / 8 / 1024
            print(f"  PSS with 8 tasks at once: idle {idle / 1024:.0f} MiB, peak {max(peak) / 1024:.0f} MiB, "
                  f"{per_task:.0f} MiB per concurrent task (goal <= 100); "
                  f"{sum(r['status'] == 'completed' for r in concurrent)}/8 completed")
        finally:
            embedded.stop(proc)
            llm.close()


if __name__ == "__main__":
    numbers = [a for a in sys.argv[1:] if not a.startswith("--")]
    main(int(numbers[0]) if numbers else 20, "--no-pss" not in sys.argv, "--profile" in sys.argv)
