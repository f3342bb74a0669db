"""MiniWoB++ through the public API with the local model: success rate, steps, tokens.

MiniWoB++ (PyPI `miniwob`; only its HTML is used) is served locally. Each episode page gets
a small script that seeds the task generator, lifts the 10 s episode limit (a 1.5B model on
2 cores needs ~20 s a step), starts the episode, and posts the page's own reward back to
this script when the episode ends. The agent gets the page as `startUrl` and the task
"Do what the instruction at the top of the page says."; success = the page's raw reward > 0
(MiniWoB's usual rule). Tasks with partial credit (click-checkboxes scores the share of boxes
right) can succeed without being fully right, so the summary also counts full rewards (1.0).

Usage: python bench/miniwob.py [tasks] [seeds]    (defaults: 10 tasks x 5 seeds)
  seeds: how many (1..N), or a range such as 3-5 (to finish a run in parts)
  tasks: how many of TASKS (first N), or task names joined by commas (e.g. click-link,enter-text)
"""
import http.server
import json
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import zipfile

import httpx

REPO = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from dev.stack import embedded  # noqa: E402

TASKS = ["click-button", "click-link", "click-dialog", "click-tab", "click-checkboxes", "enter-text",
         "focus-text", "choose-list", "click-option", "enter-password"]
CACHE = pathlib.Path(os.environ.get("STABLEBROWSE_CACHE", pathlib.Path.home() / ".cache/stablebrowse")) / "miniwob"
VERSION = "1.1.0"
INSTRUCTION = "Do what the instruction at the top of the page says."
HOOK = """<script>
Math.seedrandom(%(seed)s);
core.EPISODE_MAX_TIME = 600000;
(function () {
  var end = core.endEpisode;
  core.endEpisode = function (reward, proportional, reason) {
    var running = core.EP_TIMER !== null;  // the call that ends a running episode
    end.apply(core, arguments);
    if (running) { fetch('/__reward?run=%(run)s', {method: 'POST', body: JSON.stringify({raw: WOB_RAW_REWARD_GLOBAL, reward: WOB_REWARD_GLOBAL})}); }
  };
  window.addEventListener('load', function () { setTimeout(function () { core.startEpisodeReal(); }, 0); });
})();
</script>"""


def miniwob_html() -> pathlib.Path:
    """The benchmark's HTML, from the PyPI wheel (downloaded once into the user cache)."""
    root = CACHE / VERSION
    if not (root / "miniwob/html/core/core.js").exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", f"miniwob=={VERSION}", "-d", str(CACHE)],
                       check=True)
        with zipfile.ZipFile(next(CACHE.glob(f"miniwob-{VERSION}-*.whl"))) as wheel:
            wheel.extractall(root, [n for n in wheel.namelist() if n.startswith("miniwob/html/")])
    return root / "miniwob/html"


def serve(html: pathlib.Path, rewards: dict) -> http.server.ThreadingHTTPServer:
    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(html), **kwargs)

        def do_GET(self):
            url = urllib.parse.urlsplit(self.path)
            query = urllib.parse.parse_qs(url.query)
            if url.path.startswith("/miniwob/") and "run" in query:
                page = (html / url.path.lstrip("/")).read_text()
                hook = HOOK % {"seed": int(query["seed"][0]), "run": query["run"][0]}
                body = page.replace("</body>", hook + "</body>").encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            super().do_GET()

        def do_POST(self):
            run = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)["run"][0]
            # The first episode's reward counts: the page offers START after it, and a later
            # episode (the agent clicked START, then acted on a new instruction) must not replace it.
            rewards.setdefault(run, json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def chosen(arg: str) -> list[str]:
    """The MiniWoB tasks an argument names: a count (the first N of TASKS) or names joined by commas."""
    return TASKS[:int(arg)] if arg.isdigit() else [name for name in arg.split(",") if name]


def seed_range(arg: str) -> range:
    """`N`: seeds 1..N; `A-B`: seeds A..B."""
    first, _, last = arg.partition("-")
    return range(int(first), int(last) + 1) if last else range(1, int(first) + 1)


def main(tasks: list[str], seeds: range) -> None:
    html = miniwob_html()
    rewards: dict[str, dict] = {}
    server = serve(html, rewards)
    site = f"http://localhost:{server.server_address[1]}"
    with tempfile.TemporaryDirectory(prefix="sb-bench-miniwob-") as tmp:
        proc, info = embedded.start(pathlib.Path(tmp), timeout=900, env={
            "STABLEBROWSE_LLM_BASE_URL": os.environ.get("BENCH_LLM_BASE_URL"),
            "STABLEBROWSE_ALLOWED_HOSTS": "localhost", "STABLEBROWSE_TASK_TIMEOUT_MS": "600000"})
        try:
            env = embedded.admin_env(pathlib.Path(tmp), info)
            key = json.loads(subprocess.run([str(REPO / ".venv/bin/stablebrowse-admin"), "business", "create", "miniwob",
                                             "--json"], env=env, capture_output=True, text=True, check=True).stdout)["apiKey"]
            api = httpx.Client(base_url=info["baseUrl"], headers={"Authorization": f"Bearer {key}"}, timeout=30)
            results = []
            for task in tasks:
                for seed in seeds:
                    results.append(episode(api, site, task, seed, rewards))
                    r = results[-1]
                    print(f"  {task:18s} seed {seed}: {'ok  ' if r['success'] else 'FAIL'} reward {r['raw']:+.1f} "
                          f"steps {r['steps']} {r['seconds']:.0f}s prompt/step {r['prompt_per_call']:.0f} tok "
                          f"reply/step {r['completion_per_call']:.0f} tok ({r['status']}{': ' + r['error'] if r['error'] else ''})",
                          flush=True)
        finally:
            embedded.stop(proc)
            server.shutdown()
    ok = sum(r["success"] for r in results)
    calls = [r for r in results if r["prompt_per_call"]]
    full = sum(r["raw"] >= 1 for r in results)
    print(f"MiniWoB++ {len(tasks)} tasks x seeds {seeds.start}-{seeds.stop - 1}, local model: {ok}/{len(results)} "
          f"({100 * ok / len(results):.0f}%) succeeded, {full}/{len(results)} with the full reward")
    for task in tasks:
        mine = [r for r in results if r["task"] == task]
        print(f"  {task:18s} {sum(r['success'] for r in mine)}/{len(mine)}  (full reward {sum(r['raw'] >= 1 for r in mine)})")
    if calls:
        print(f"  median prompt tokens per step {statistics.median(r['prompt_per_call'] for r in calls):.0f}, "
              f"reply tokens per step {statistics.median(r['completion_per_call'] for r in calls):.0f}, "
              f"seconds per step {statistics.median(r['seconds'] / max(1, r['llm_calls']) for r in calls):.1f}")


def episode(api: httpx.Client, site: str, task: str, seed: int, rewards: dict) -> dict:
    run = f"{task}-{seed}-{time.monotonic_ns()}"
    began = time.monotonic()
    created = api.post("/v1/tasks", json={"endUserId": "miniwob", "task": INSTRUCTION, "maxSteps": 6,
                                          "startUrl": f"{site}/miniwob/{task}.html?seed={seed}&run={run}",
                                          "replay": False}).json()  # the agent's own competence, not a recipe's
    while True:
        record = api.get(f"/v1/tasks/{created['taskId']}").json()
        if record["status"] in ("completed", "failed"):
            break
        time.sleep(0.5)
    time.sleep(0.5)  # the reward beacon may trail the last action slightly
    usage = record.get("usage", {})
    calls = usage.get("llmCalls", 0)
    raw = rewards.get(run, {}).get("raw", 0.0)
    return {"task": task, "success": raw > 0, "raw": raw, "steps": record.get("totalSteps", 0), "seconds": time.monotonic() - began,
            "status": record["status"], "error": record.get("errorCode", ""), "llm_calls": calls,
            "prompt_per_call": usage.get("promptTokens", 0) / calls if calls else 0,
            "completion_per_call": usage.get("completionTokens", 0) / calls if calls else 0}


if __name__ == "__main__":
    main(chosen(sys.argv[1] if len(sys.argv) > 1 else "10"), seed_range(sys.argv[2] if len(sys.argv) > 2 else "5"))
