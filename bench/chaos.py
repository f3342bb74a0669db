"""Chaos bench: the whole stack under a steady stream of submissions while each part in turn
is killed (kill -9, then, in a full run, SIGTERM), on free loopback ports, with the scripted
LLM (tests/scripted_llm.py, in its own process so that it can be killed too).

The stream (one submission every --interval seconds, in turn): indexed questions
("What is the title of the top story?" on news.ycombinator.com) and browser tasks on the
replica web (a business with indexed answers off), half of them with an Idempotency-Key,
resent with the same key every 0.5 s until accepted (at most KEYED_RETRY_S). Each fault:
a few seconds of healthy traffic, the signal, the part back (the stack supervisor restarts
what dies; the bench restarts the model the same way), submissions accepted again, then
the phase's tasks are followed until they end or 2 × TASK_TIMEOUT passes. Counts per fault:
see bench/chaos_tally.py. Loopback only; every loop is bounded; a time budget (--quick:
5 minutes, else 15) skips faults that would not fit, and says so.

Usage: .venv/bin/python bench/chaos.py [--quick] [--interval 1.0]
"""
import argparse
import concurrent.futures
import json
import os
import pathlib
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

import httpx
import pymongo
from pymongo.errors import PyMongoError

REPO = pathlib.Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "gen")]

from bench import chaos_tally as tally  # noqa: E402
from dev.stack import embedded  # noqa: E402
from dev.stack.ports import free_port  # noqa: E402
from services.scheduler.idempotency import key_id  # noqa: E402

HN = "https://news.ycombinator.com/"
INDEXED_QUESTION = "What is the title of the top story?"
BROWSER_MARK = "chaos-browser"
TASK_TIMEOUT_S = 20
KEYED_RETRY_S = 40  # longer than the scheduler's 30 s hold on a key whose submitter died
# The quickly restarted parts first, so that a time budget cut leaves out the slowest.
PARTS = ("scheduler", "gateway", "indexer", "browser", "envoy", "llm", "mongo", "kafka")
# Seconds a fault of the part is expected to take (a JVM restart on 2 busy cores is slow).
PHASE_ESTIMATE_S = {"kafka": 110, "mongo": 50}
# Two browser tasks in six submissions: the one worker (2 browser slots) keeps up with them.
KINDS = (("indexed", None), ("indexed", "keyed"), ("browser", None), ("indexed", None), ("indexed", "keyed"),
         ("browser", "keyed"))
SIGNAL_NAMES = {signal.SIGKILL: "kill -9", signal.SIGTERM: "SIGTERM"}
STACK_ENV = {
    "STABLEBROWSE_TASK_TIMEOUT_MS": str(TASK_TIMEOUT_S * 1000),
    "STABLEBROWSE_WORKER_SILENCE_SECONDS": "6",
    "STABLEBROWSE_REAPER_INTERVAL_SECONDS": "1",
    "STABLEBROWSE_HEARTBEAT_SECONDS": "1",
    "STABLEBROWSE_LLM_MODEL": "scripted",
}


def serve_llm(port: int) -> None:
    """The model, in a process of its own: browser tasks answer the page's title."""
    from tests.scripted_llm import Delay, ScriptedLLM, finish_with_title

    llm = ScriptedLLM(port)
    llm.script(Delay(0.2, finish_with_title), marker=BROWSER_MARK)
    llm.script(finish_with_title, marker=INDEXED_QUESTION)  # asked when the indexer is down
    threading.Event().wait()


def wait_for(condition, timeout: float, step: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(step)
    return True


def port_open(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


class Model:
    """The scripted LLM process; after a signal it is started again a second later, as the
    stack supervisor does for its parts."""

    def __init__(self):
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}/v1"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen([sys.executable, __file__, "--serve-llm", str(self.port)], cwd=REPO,
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if not wait_for(lambda: port_open(self.port), 20):
            raise RuntimeError("the scripted LLM did not start")

    def hit(self, sig: int) -> None:
        self.proc.send_signal(sig)
        self.proc.wait(15)
        time.sleep(1)
        self.start()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def post_once(client: httpx.Client, body: dict) -> tuple[int | str, str | None]:
    try:
        response = client.post("/v1/tasks", json=body)
    except httpx.HTTPError as exc:
        return type(exc).__name__, None
    if response.status_code in (200, 201):
        return response.status_code, response.json()["taskId"]
    return response.status_code, None


class Stream:
    """Submissions at a steady pace on a thread pool, until stopped (then waits for them)."""

    def __init__(self, chaos: "Chaos", phase: tally.Phase, interval: float):
        self.chaos, self.phase, self.interval = chaos, phase, interval
        self.stopped = threading.Event()
        self.pool = concurrent.futures.ThreadPoolExecutor(16)
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        n = 0
        while not self.stopped.wait(self.interval):
            kind, keyed = KINDS[n % len(KINDS)]
            n += 1
            sub, body = self.chaos.new_submission(kind, keyed is not None, n)
            self.phase.subs.append(sub)
            self.pool.submit(self.chaos.submit, sub, body)

    def __enter__(self) -> "Stream":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopped.set()
        self.thread.join()
        self.pool.shutdown(wait=True)


class Chaos:
    def __init__(self, state: pathlib.Path, info: dict, model: Model, interval: float):
        self.state, self.info, self.model, self.interval = state, info, model, interval
        self.base_url = info["baseUrl"]
        env = embedded.admin_env(state, info)
        self.businesses = {"indexed": self.admin(env, "business", "create", "chaos-indexed", "--json"),
                           "browser": self.admin(env, "business", "create", "chaos-browser", "--json")}
        subprocess.run([str(REPO / ".venv/bin/stablebrowse-admin"), "business", "set-fastpath",
                        self.businesses["browser"]["businessId"], "off"], env=env, check=True, capture_output=True)

    @staticmethod
    def admin(env: dict, *args: str) -> dict:
        out = subprocess.run([str(REPO / ".venv/bin/stablebrowse-admin"), *args], env=env, capture_output=True,
                             text=True, check=True)
        return json.loads(out.stdout)

    def pid(self, part: str) -> int | None:
        if part == "llm":
            return self.model.proc.pid
        return (embedded.read_state(self.state) or {}).get("pids", {}).get(part)

    def hit(self, part: str, sig: int) -> None:
        if part == "llm":
            self.model.hit(sig)
        else:
            os.kill(self.pid(part), sig)

    def new_submission(self, kind: str, keyed: bool, n: int) -> tuple[tally.Submission, dict]:
        biz = self.businesses[kind]
        task = INDEXED_QUESTION if kind == "indexed" else f"What is the title of this page? ({BROWSER_MARK} #{n})"
        key = f"chaos-{os.urandom(8).hex()}" if keyed else None
        sub = tally.Submission(kind + (" keyed" if keyed else ""), biz["apiKey"], biz["businessId"], key)
        return sub, {"endUserId": "chaos", "task": task, "startUrl": HN}

    def submit(self, sub: tally.Submission, body: dict) -> None:
        give_up = time.monotonic() + KEYED_RETRY_S
        headers = {"Authorization": f"Bearer {sub.api_key}", **({"Idempotency-Key": sub.key} if sub.key else {})}
        with httpx.Client(base_url=self.base_url, headers=headers, timeout=10) as client:
            while True:
                status, task_id = post_once(client, body)
                sub.answered(time.monotonic(), status, task_id)
                if task_id or not sub.key or time.monotonic() > give_up or status in (400, 401, 403, 404):
                    return
                time.sleep(0.5)

    def follow(self, phase: tally.Phase) -> None:
        """Polls the phase's accepted tasks until each ends, is gone, or 2 × TASK_TIMEOUT passed."""
        open_subs = [s for s in phase.subs if s.accepted_at is not None]
        with httpx.Client(base_url=self.base_url, timeout=10) as client:
            while open_subs:
                for sub in list(open_subs):
                    self.poll(client, phase, sub)
                    if sub.done or time.monotonic() > sub.accepted_at + 2 * TASK_TIMEOUT_S:
                        open_subs.remove(sub)
                time.sleep(0.5)

    @staticmethod
    def poll(client: httpx.Client, phase: tally.Phase, sub: tally.Submission) -> None:
        try:
            response = client.get(f"/v1/tasks/{sub.task_ids[0]}", headers={"Authorization": f"Bearer {sub.api_key}"})
        except httpx.HTTPError:
            return
        if response.status_code == 404:
            sub.gone = True
        elif response.status_code == 200:
            sub.record = response.json()
        elif response.status_code >= 500 and response.status_code != 503:
            phase.server_errors += 1

    def recheck_stuck(self, phases: list[tally.Phase]) -> None:
        """One more look, at the end of the run, at tasks that were stuck: ended late, or wedged."""
        with httpx.Client(base_url=self.base_url, timeout=10) as client:
            for phase in phases:
                stuck = [s for s in phase.subs if s.accepted_at is not None and not s.done]
                for sub in stuck:
                    self.poll(client, phase, sub)
                if stuck:
                    phase.note += f" {sum(s.done for s in stuck)} of the {len(stuck)} stuck ended later"

    def find_duplicates(self, phase: tally.Phase, log_offset: int) -> None:
        lines, _ = tally.read_new_lines(self.state / "logs" / "browser.log", log_offset)
        phase.overlapping_runs = tally.overlapping_runs(lines)
        keyed = {key_id(s.business_id, s.key): s for s in phase.subs if s.key}
        try:
            with pymongo.MongoClient(self.info["mongodbUri"], serverSelectionTimeoutMS=5000) as client:
                found = client.stablebrowse.tasks.find({"idempotency_id": {"$in": list(keyed)}}, {"idempotency_id": 1})
                ids = [doc["idempotency_id"] for doc in found]
        except PyMongoError as exc:
            phase.note += f" duplicate keys not checked: {type(exc).__name__}"
            return
        phase.keys_with_two_tasks = sum(1 for entry in set(ids) if ids.count(entry) > 1)

    def run_phase(self, part: str, sig: int, warm_s: float, settle_s: float, recovery_s: float) -> tally.Phase:
        phase = tally.Phase(f"{SIGNAL_NAMES[sig]} {part}")
        log_offset = (self.state / "logs" / "browser.log").stat().st_size
        with Stream(self, phase, self.interval):
            time.sleep(warm_s)
            old = self.pid(part)
            phase.fault_at = time.monotonic()
            self.hit(part, sig)
            if not wait_for(lambda: self.pid(part) not in (None, old), recovery_s):
                phase.note = f"{part} not back after {recovery_s:.0f}s"
            back = time.monotonic()
            if not wait_for(lambda: any((s.accepted_at or 0) > back for s in phase.subs), recovery_s):
                phase.note += f" no submission accepted within {recovery_s:.0f}s of the restart"
            time.sleep(settle_s)
        self.follow(phase)
        self.find_duplicates(phase, log_offset)
        return phase


def run(args: argparse.Namespace) -> tuple[list[dict], list[str]]:
    began = time.monotonic()
    budget, per_phase = (285, 25) if args.quick else (870, 40)
    timing = dict(warm_s=2, settle_s=2, recovery_s=90) if args.quick else dict(warm_s=4, settle_s=4, recovery_s=120)
    faults = [(p, signal.SIGKILL) for p in PARTS] + ([] if args.quick else [(p, signal.SIGTERM) for p in PARTS])
    phases, rows, skipped = [], [], []
    model = Model()
    model.start()
    try:
        with tempfile.TemporaryDirectory(prefix="sb-bench-chaos-") as tmp:
            state = pathlib.Path(tmp)
            proc, info = embedded.start(state, timeout=150, env={**STACK_ENV, "STABLEBROWSE_LLM_BASE_URL": model.base_url})
            try:
                chaos = Chaos(state, info, model, args.interval)
                print(f"stack ready after {time.monotonic() - began:.0f}s", flush=True)
                for part, sig in faults:
                    if time.monotonic() - began + PHASE_ESTIMATE_S.get(part, per_phase) > budget:
                        skipped.append(f"{SIGNAL_NAMES[sig]} {part}")
                        continue
                    phases.append(chaos.run_phase(part, sig, **timing))
                    row = tally.row(phases[-1])
                    print(f"[{time.monotonic() - began:4.0f}s] {row['fault']}: done; {row['detail']}", flush=True)
                rows = [tally.row(phase) for phase in phases]  # counted before the late look
                chaos.recheck_stuck(phases)
                for row, phase in zip(rows, phases, strict=True):
                    row["note"] = phase.note.strip()
            finally:
                embedded.stop(proc)
    finally:
        model.stop()
    return rows, skipped


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="kill -9 only, within 5 minutes")
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between submissions")
    parser.add_argument("--serve-llm", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_llm:
        serve_llm(args.serve_llm)
        return
    began = time.monotonic()
    rows, skipped = run(args)
    print(f"\nchaos bench ({'quick' if args.quick else 'full'}, {time.monotonic() - began:.0f}s; "
          f"TASK_TIMEOUT {TASK_TIMEOUT_S}s, one submission every {args.interval}s; target: 0 lost, 0 stuck, 0 duplicated)")
    print(tally.table(rows))
    if skipped:
        print(f"not run (time budget): {', '.join(skipped)}")


if __name__ == "__main__":
    main()
