"""stablebrowse next to browser-use, on the same local model, the same MiniWoB++ episodes (same
tasks, same seeds: bench/miniwob.py's pages and reward beacon) and the replica's HN questions.

browser-use is installed pinned (PEER) from PyPI into its own virtualenv under the cache
directory (~/.cache/stablebrowse/peer-venv) and drives the Debian Chromium the project uses
(no browser download), with news.ycombinator.com resolved to a replica started here. Ours runs
through the public API of an embedded stack with the fast path off (the scheduler's and the
workers') and no recipe replay: both agents see every page and ask the model. Slow; not part of make test.

Usage: BENCH_LLM_BASE_URL=http://127.0.0.1:PORT/v1 python bench/peer.py [tasks] [seeds] [--no-hn] [--only=AGENT]
  tasks, seeds: as bench/miniwob.py (a count of its TASKS or names joined by commas; 0 for none)
  --only=ours or --only=peer runs one side (the table then has one row); both sides run the
  identical episodes, so two such runs make the same comparison on a machine that cannot hold
  both at once
"""
import json
import os
import pathlib
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import httpx

REPO = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench import miniwob  # noqa: E402
from dev.replica import build, server, tls  # noqa: E402
from dev.stack import embedded  # noqa: E402

PEER = "browser-use==0.13.14"
VENV = miniwob.CACHE.parent / "peer-venv"
MAX_STEPS = 6
HN = "news.ycombinator.com"
# (question, what a right answer contains), from the replica's front page (dev/replica/content/hn.py)
HN_QUESTIONS = [
    ("What is the title of the top story on Hacker News?", "A tiny B-tree in 300 lines of Rust"),
    ("Who posted the third story on Hacker News?", "drh_reader"),
    ("How many points does the story 'The unreasonable effectiveness of plain text' have?", "388"),
    ("How many comments does the story 'SQLite as an application file format (2014)' have?", "24"),
    ("At what rank is the story 'Reverse-engineering a 1980s pocket calculator'?", "5"),
]


def peer_python() -> pathlib.Path:
    """The peer virtualenv's python, with PEER installed (once)."""
    python = VENV / "bin/python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    name, version = PEER.split("==")
    installed = subprocess.run([str(python), "-c", f"import importlib.metadata as m; print(m.version('{name}'))"],
                               capture_output=True, text=True).stdout.strip()
    if installed != version:
        subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", PEER], check=True)
    return python


def contains(answer: str, expected: str) -> bool:
    squash = lambda s: re.sub(r"\s+", " ", s.replace(",", "")).strip().lower()  # noqa: E731
    found = squash(answer)
    if expected.isdigit():
        return re.search(rf"(?<!\d){expected}(?!\d)", found) is not None
    return squash(expected) in found


def episodes(site: str, tasks: list[str], seeds: int, hn: bool) -> list[dict]:
    """Each episode once: {"id", "task", "url", "expect"} (expect: None for MiniWoB, judged by its reward)."""
    found = []
    for task in tasks:
        for seed in range(1, seeds + 1):
            found.append({"id": f"{task}-{seed}", "kind": task, "task": miniwob.INSTRUCTION, "expect": None,
                          "url": f"{site}/miniwob/{task}.html?seed={seed}&run={task}-{seed}-AGENT"})
    for n, (question, expect) in enumerate(HN_QUESTIONS if hn else []):
        found.append({"id": f"hn-{n}", "kind": "hn", "task": question, "expect": expect, "url": f"https://{HN}/"})
    return found


def ours(items: list[dict], llm_url: str, rewards: dict) -> list[dict]:
    results = []
    with tempfile.TemporaryDirectory(prefix="sb-bench-peer-") as tmp:
        proc, info = embedded.start(pathlib.Path(tmp), timeout=900, env={
            "STABLEBROWSE_LLM_BASE_URL": llm_url, "STABLEBROWSE_ALLOWED_HOSTS": "localhost",
            "STABLEBROWSE_TASK_TIMEOUT_MS": "1800000", "STABLEBROWSE_FAST_PATH": "off",
            "STABLEBROWSE_SUBMIT_FAST_PATH": "off"})
        try:
            env = embedded.admin_env(pathlib.Path(tmp), info)
            key = json.loads(subprocess.run([str(REPO / ".venv/bin/stablebrowse-admin"), "business", "create", "peer",
                                             "--json"], env=env, capture_output=True, text=True, check=True).stdout)["apiKey"]
            api = httpx.Client(base_url=info["baseUrl"], headers={"Authorization": f"Bearer {key}"}, timeout=30)
            for item in items:
                results.append(judged(item, run_ours(api, at(item, "ours")), rewards, "ours"))
                report("stablebrowse", item, results[-1])
        finally:
            embedded.stop(proc)
    return results


def run_ours(api: httpx.Client, item: dict) -> dict:
    began = time.monotonic()
    created = api.post("/v1/tasks", json={"endUserId": "peer", "task": item["task"], "maxSteps": MAX_STEPS,
                                          "startUrl": item["url"], "replay": False}).json()
    record: dict = {}
    while record.get("status") not in ("completed", "failed"):
        time.sleep(0.5)
        record = api.get(f"/v1/tasks/{created['taskId']}").json()
    usage = record.get("usage", {})
    return {"answer": record.get("result", ""), "steps": record.get("totalSteps", 0), "llm_calls": usage.get("llmCalls", 0),
            "prompt_tokens": usage.get("promptTokens", 0), "completion_tokens": usage.get("completionTokens", 0),
            "seconds": time.monotonic() - began, "error": record.get("errorCode", "")}


def theirs(items: list[dict], llm_url: str, rewards: dict, hn_port: int) -> list[dict]:
    spec = {"base_url": llm_url, "model": os.environ.get("BENCH_LLM_MODEL", "qwen2.5-coder-1.5b-instruct"),
            "chromium": shutil.which("chromium") or "/usr/bin/chromium", "max_steps": MAX_STEPS, "timeout_s": 900,
            "chromium_args": [f"--host-resolver-rules=MAP {HN} 127.0.0.1:{hn_port}", "--ignore-certificate-errors"],
            "episodes": [{k: at(item, "peer")[k] for k in ("id", "task", "url")} for item in items]}
    proc = subprocess.Popen([str(peer_python()), str(REPO / "bench/peer_browser_use.py")], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdin and proc.stdout
    proc.stdin.write(json.dumps(spec))
    proc.stdin.close()
    by_id = {item["id"]: item for item in items}
    results = []
    for line in proc.stdout:
        if line.startswith("{"):
            result = json.loads(line)
            results.append(judged(by_id[result["id"]], result, rewards, "peer"))
            report("browser-use", by_id[result["id"]], results[-1])
    proc.wait()
    return results


def at(item: dict, agent: str) -> dict:
    """The episode as one agent runs it: its own run id on the page, so rewards never mix."""
    return {**item, "url": item["url"].replace("AGENT", agent)}


def judged(item: dict, result: dict, rewards: dict, agent: str) -> dict:
    if item["expect"] is None:
        time.sleep(0.5)  # the reward beacon may trail the episode's last action slightly
        success = rewards.get(f"{item['id']}-{agent}", {}).get("raw", 0.0) > 0
    else:
        success = contains(result["answer"], item["expect"])
    return {**result, "kind": item["kind"], "success": success}


def report(agent: str, item: dict, r: dict) -> None:
    print(f"  {agent:12s} {item['id'][:28]:28s} {'ok  ' if r['success'] else 'FAIL'} steps {r['steps']} "
          f"calls {r['llm_calls']} tokens {r['prompt_tokens']}+{r['completion_tokens']} {r['seconds']:.0f}s "
          f"{r['error']} {r['answer'][:120]!r}", flush=True)


def summary(name: str, results: list[dict], kinds: list[str]) -> list[str]:
    calls = sum(r["llm_calls"] for r in results) or 1
    per_step = [r["seconds"] / r["llm_calls"] for r in results if r["llm_calls"]]
    row = [name, f"{sum(r['success'] for r in results)}/{len(results)}"]
    row += [f"{sum(r['success'] for r in results if r['kind'] == k)}/{sum(r['kind'] == k for r in results)}" for k in kinds]
    return row + [f"{sum(r['prompt_tokens'] for r in results) / calls:.0f}",
                  f"{sum(r['completion_tokens'] for r in results) / calls:.0f}",
                  f"{statistics.median(per_step):.1f}" if per_step else "-"]


def main(tasks: list[str], seeds: int, hn: bool, only: str) -> None:
    llm_url = os.environ["BENCH_LLM_BASE_URL"]
    if only != "ours":
        print(f"browser-use: {PEER} in {peer_python().parent.parent}", flush=True)
    if not (server.SITES_DIR / HN).is_dir():
        build.write()
    rewards: dict[str, dict] = {}
    site_server = miniwob.serve(miniwob.miniwob_html(), rewards)
    site = f"http://localhost:{site_server.server_address[1]}"
    with tempfile.TemporaryDirectory(prefix="sb-bench-peer-tls-") as tmp:
        cert, key = tls.ensure_cert(pathlib.Path(tmp), [HN])
        replica = server.serve(HN, 0, server.tls_context(str(cert), str(key)))
        try:
            items = episodes(site, tasks, seeds, hn)
            mine = ours(items, llm_url, rewards) if only != "peer" else None
            peer = theirs(items, llm_url, rewards, replica.server_address[1]) if only != "ours" else None
        finally:
            replica.shutdown()
            site_server.shutdown()
    kinds = list(dict.fromkeys(item["kind"] for item in items))
    rows = [["agent", "success", *kinds, "prompt tok/step", "reply tok/step", "s/step (median)"]]
    rows += [summary(name, results, kinds) for name, results in (("stablebrowse", mine), ("browser-use", peer))
             if results is not None]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    only = next((a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--only=")), "both")
    if only not in ("both", "ours", "peer"):
        sys.exit("--only must be ours or peer")
    main(miniwob.chosen(args[0] if args else "10") if (args[0] if args else "10") != "0" else [],
         int(args[1]) if len(args) > 1 else 5, "--no-hn" not in sys.argv, only)
