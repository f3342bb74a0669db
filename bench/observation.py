"""The page view before and after, side by side in one run: snapshot.js as it is at git `main`
(old) and in this checkout (new), on the same pages in the same Chromium — the replica's Hacker
News front page, a Wikipedia article and an Amazon product page, and three MiniWoB++ tasks —
printing per page the whole view's size, the first window's, and a whole first-step prompt's
(system prompt + step prompt as the agent sends them), in tokens.

Tokens are counted by the model's own tokenizer when BENCH_LLM_BASE_URL names a llama.cpp
server (its /tokenize endpoint, e.g. `tools/llm/run-llm.sh 18181 &` then
BENCH_LLM_BASE_URL=http://127.0.0.1:18181/v1); otherwise estimated as characters / 3.5 (said so).

With --ask (and BENCH_LLM_BASE_URL), the model also answers the replica's Hacker News questions
from the front page with each view: the agent's first step there, with the fast path off.

Usage: python bench/observation.py [--ask] [git revision of the old snapshot.js, default main]
"""
import asyncio
import json
import os
import pathlib
import subprocess
import sys

import httpx
from playwright.async_api import async_playwright

REPO = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench import miniwob  # noqa: E402
from dev.replica import server as replica  # noqa: E402
from services.browser.agent import prompt  # noqa: E402
from services.browser.agent.actions import action_schema  # noqa: E402
from services.browser.agent.llm import Model  # noqa: E402
from services.browser.agent.observe import SNAPSHOT_JS, Observation, windowed  # noqa: E402
from services.browser.settings import BrowserSettings  # noqa: E402

# (label, site: a replica host or "miniwob", path, the task the first step is asked)
PAGES = [
    ("HN front page", "news.ycombinator.com", "/news", "How many comments does the top story have?"),
    ("Wikipedia article", "en.wikipedia.org", "/wiki/Port_Ellery", "Who is the mayor of Port Ellery?"),
    ("Amazon product", "www.amazon.com", "/dp/B0C9XW2M4R", "What is the price of this tent?"),
    ("MiniWoB click-checkboxes", "miniwob", "click-checkboxes", miniwob.INSTRUCTION),
    ("MiniWoB enter-text", "miniwob", "enter-text", miniwob.INSTRUCTION),
    ("MiniWoB click-option", "miniwob", "click-option", miniwob.INSTRUCTION),
]
# browser-use's prompt tokens per step on the same pages with the same local model (issue 15,
# from bench/peer.py runs): about 5,600 to 7,500.
PEER_TOKENS = (5600, 7500)
# (question, what a right answer contains) on the replica's front page (dev/replica/content/hn.py)
HN_QUESTIONS = [
    ("What is the title of the top story?", "A tiny B-tree in 300 lines of Rust"),
    ("How many points does story 2 have?", "388"),
    ("How many comments does story 3 have?", "24"),
    ("Who posted story 3?", "drh_reader"),
    ("How many points does the story 'The unreasonable effectiveness of plain text' have?", "388"),
    ("How many comments does the story 'SQLite as an application file format (2014)' have?", "24"),
    ("At what rank is the story 'Reverse-engineering a 1980s pocket calculator'?", "5"),
]


class Counter:
    """Tokens of a text: the llama.cpp server's tokenizer, or characters / 3.5."""

    def __init__(self, base_url: str | None):
        self.url = base_url.rstrip("/").removesuffix("/v1") + "/tokenize" if base_url else None
        self.how = f"tokens by the model's tokenizer ({self.url})" if self.url else "tokens estimated as characters / 3.5"

    def __call__(self, text: str) -> int:
        if not self.url:
            return round(len(text) / 3.5)
        return len(httpx.post(self.url, json={"content": text}, timeout=60).json()["tokens"])


def user_prompt(url: str, title: str, view: str, task: str) -> str:
    """The first step's prompt as the loop builds it (its first window of the page)."""
    return prompt.step_prompt(task, None, None, [], 1, 6, Observation(url, title, *windowed(view, 0)).render())


def step_prompt(url: str, title: str, view: str, task: str) -> str:
    """The first step's whole prompt: system prompt + step prompt."""
    return prompt.system_prompt("") + "\n" + user_prompt(url, title, view, task)


async def views(old_js: str) -> list[tuple[str, dict]]:
    """Per page: its URL, title and task, and the old and new views of it."""
    servers = {site: replica.serve(site, 0) for site in {p[1] for p in PAGES if p[1] != "miniwob"}}
    servers["miniwob"] = miniwob.serve(miniwob.miniwob_html(), {})
    out = []
    try:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=BrowserSettings().chromium_path)
            page = await browser.new_page()
            for label, site, path, task in PAGES:
                port = servers[site].server_address[1]
                if site == "miniwob":
                    await page.goto(f"http://127.0.0.1:{port}/miniwob/{path}.html?seed=1&run=bench")
                    await page.wait_for_function("document.querySelector('#query').innerText.trim().length > 0")
                else:
                    await page.goto(f"http://127.0.0.1:{port}{path}")
                found = {"url": page.url, "title": await page.title(), "task": task}
                for name, js in (("old", old_js), ("new", SNAPSHOT_JS)):
                    found[name] = await page.evaluate(js)
                out.append((label, found))
            await browser.close()
    finally:
        for server in servers.values():
            server.shutdown()
    return out


def sizes(pages: list[tuple[str, dict]], count: Counter) -> None:
    print(f"{'page':26s} {'whole view':>15s} {'first window':>15s} {'step prompt':>15s} {'step new/old':>12s}")
    print(f"{'':26s} {'old':>7s} {'new':>7s} {'old':>7s} {'new':>7s} {'old':>7s} {'new':>7s}")
    largest = 0
    for label, found in pages:
        parts = {name: (found[name], windowed(found[name], 0)[0],
                        step_prompt(found["url"], found["title"], found[name], found["task"])) for name in ("old", "new")}
        numbers = [count(parts[name][i]) for i in range(3) for name in ("old", "new")]
        largest = max(largest, numbers[5])
        print(f"{label:26s} " + " ".join(f"{n:7d}" for n in numbers) + f" {numbers[5] / numbers[4]:12.2f}")
    print(f"largest new step prompt {largest} tokens = {largest / PEER_TOKENS[0]:.2f}x browser-use's "
          f"~{PEER_TOKENS[0]:,}-{PEER_TOKENS[1]:,} tokens per step on the same pages (issue 15; target <= 0.25x)")


async def answers(hn: dict, base_url: str) -> None:
    """The model's first reply to each HN question, with the old view and with the new one."""
    model = Model(base_url, "", os.environ.get("BENCH_LLM_MODEL", "local"), timeout_s=600)
    schema = action_schema(None)
    right = {"old": 0, "new": 0}
    for question, expected in HN_QUESTIONS:
        for name in ("old", "new"):
            text = user_prompt(hn["url"], hn["title"], hn[name], question)
            reply = await model.ask(prompt.system_prompt(""), text, schema, "action")
            answer = reply.get("answer", "") if reply.get("action") == "finish" else json.dumps(reply)
            ok = expected.lower() in answer.replace(",", "").lower()
            right[name] += ok
            print(f"  {name} {'RIGHT' if ok else 'WRONG'} {question!r} -> {answer[:100]!r} (expected {expected!r})", flush=True)
    await model.close()
    print(f"HN questions answered right: old view {right['old']}/{len(HN_QUESTIONS)}, new view {right['new']}/{len(HN_QUESTIONS)}")


def main(revision: str, ask: bool) -> None:
    old_js = subprocess.run(["git", "-C", str(REPO), "show", f"{revision}:services/browser/agent/snapshot.js"],
                            capture_output=True, text=True, check=True).stdout
    base_url = os.environ.get("BENCH_LLM_BASE_URL")
    count = Counter(base_url)
    print(f"snapshot.js at {revision} (old) against this checkout (new); {count.how}")
    pages = asyncio.run(views(old_js))
    sizes(pages, count)
    if ask and base_url:
        asyncio.run(answers(dict(pages)["HN front page"], base_url))
    elif ask:
        print("--ask needs BENCH_LLM_BASE_URL (an OpenAI-compatible server, e.g. tools/llm/run-llm.sh)")


if __name__ == "__main__":
    args = sys.argv[1:]
    main(next((a for a in args if not a.startswith("--")), "main"), "--ask" in args)
