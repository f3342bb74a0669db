"""The page view before and after, side by side in one run: snapshot.js as it is at git `main`
(old) and in this checkout (new), on the same pages in the same Chromium — the replica's Hacker
News front page, a Wikipedia article and an Amazon product page, and three MiniWoB++ tasks —
printing per page the whole view's size, the first window's, and a whole first-step prompt's
(system prompt + step prompt as the agent sends them), in tokens.

Tokens are counted by the model's own tokenizer when BENCH_LLM_BASE_URL names a llama.cpp
server (its /tokenize endpoint, e.g. `tools/llm/run-llm.sh 18181 &` then
BENCH_LLM_BASE_URL=http://127.0.0.1:18181/v1); otherwise estimated as characters / 3.5 (said so).

Usage: python bench/observation.py [git revision of the old snapshot.js, default main]
"""
import asyncio
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


class Counter:
    """Tokens of a text: the llama.cpp server's tokenizer, or characters / 3.5."""

    def __init__(self, base_url: str | None):
        self.url = base_url.rstrip("/").removesuffix("/v1") + "/tokenize" if base_url else None
        self.how = f"tokens by the model's tokenizer ({self.url})" if self.url else "tokens estimated as characters / 3.5"

    def __call__(self, text: str) -> int:
        if not self.url:
            return round(len(text) / 3.5)
        return len(httpx.post(self.url, json={"content": text}, timeout=60).json()["tokens"])


def step_prompt(url: str, title: str, view: str, task: str) -> str:
    """The first step's whole prompt as the loop builds it (system prompt + step prompt)."""
    content, window, windows = windowed(view, 0)
    page = Observation(url, title, content, window, windows).render()
    return prompt.system_prompt("") + "\n" + prompt.step_prompt(task, None, None, [], 1, 6, page)


async def views(old_js: str) -> list[tuple[str, dict]]:
    """Per page: the old and new views, and the first-step prompts built from each."""
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
                found = {}
                for name, js in (("old", old_js), ("new", SNAPSHOT_JS)):
                    view = await page.evaluate(js)
                    found[name] = {"view": view, "window": windowed(view, 0)[0],
                                   "prompt": step_prompt(page.url, await page.title(), view, task)}
                out.append((label, found))
            await browser.close()
    finally:
        for server in servers.values():
            server.shutdown()
    return out


def main(revision: str) -> None:
    old_js = subprocess.run(["git", "-C", str(REPO), "show", f"{revision}:services/browser/agent/snapshot.js"],
                            capture_output=True, text=True, check=True).stdout
    count = Counter(os.environ.get("BENCH_LLM_BASE_URL"))
    print(f"snapshot.js at {revision} (old) against this checkout (new); {count.how}")
    print(f"{'page':26s} {'whole view':>15s} {'first window':>15s} {'step prompt':>15s} {'step new/old':>12s}")
    print(f"{'':26s} {'old':>7s} {'new':>7s} {'old':>7s} {'new':>7s} {'old':>7s} {'new':>7s}")
    steps = []
    for label, found in asyncio.run(views(old_js)):
        numbers = [count(found[name][part]) for part in ("view", "window", "prompt") for name in ("old", "new")]
        steps.append(numbers[4:])
        print(f"{label:26s} " + " ".join(f"{n:7d}" for n in numbers) + f" {numbers[5] / numbers[4]:12.2f}")
    worst = max(new for _, new in steps)
    print(f"largest new step prompt {worst} tokens = {worst / PEER_TOKENS[0]:.2f}x browser-use's "
          f"~{PEER_TOKENS[0]:,}-{PEER_TOKENS[1]:,} tokens per step on the same pages (issue 15; target <= 0.25x)")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "main")
