"""Recipes: first runs through the agent against replays with new parameter values, on the
real stack with the scripted LLM (model time is out of both numbers) or, with --local, the
local model for first runs.

Each replica task shape (Amazon, Airbnb, Hacker News, Wikipedia pages, and a search-and-click
shop served here) runs three times: the agent with parameter A (records the recipe), the same
shape with parameter B (replays it), and B again with `replay: false` — the agent's answer for
B, which the replay must equal to count as a success. Each MiniWoB++ shape (replay_miniwob.py)
runs twice, seed A then seed B, the page's instruction as the task; success is the episode's
reward. Indexed answers are off for the bench's business, so every task runs in the browser.
Prints each shape's outcome (replayed, or agent and why), and success, wall time (POST ->
terminal), LLM calls and tokens for first runs vs replays.

--local: the first N MiniWoB++ shapes only (a model call takes ~10-60 s on 2 cores), first runs
through the local model (BENCH_LLM_BASE_URL, or the stack starts tools/llm/run-llm.sh), then
replays; prints wall time first vs replay and the ratio. A shape whose first run failed has
nothing to replay (the row says so, and whether a recipe was recorded anyway).

Usage: python bench/replay.py [--miniwob] [--shapes N]     (scripted: 20 replica + 8 MiniWoB++)
       python bench/replay.py --local [--shapes N]          (local model, default 3 shapes)
"""
import argparse
import http.server
import os
import pathlib
import re
import statistics
import sys
import threading
import time
import urllib.parse

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

import replay_miniwob  # noqa: E402
from harness import admin, pct, scripted_stack, stack  # noqa: E402

from tests import page_readers as read  # noqa: E402
from tests.scripted_llm import finish  # noqa: E402

AMAZON = "https://www.amazon.com/dp/{}"
AIRBNB = "https://www.airbnb.com/s/{}/homes"
HN_ITEM = "https://news.ycombinator.com/item?id={}"
WIKI = "https://en.wikipedia.org/wiki/{}"
KETTLE, TENT, EARBUDS = "B0D7K3LQ9X", "B0C9XW2M4R", "B0F1TQ8ZJH"
# (task with {} for the parameter, start URL with {}, reader, parameter A, parameter B)
REPLICA = [
    ("What is the price of Amazon product {}?", AMAZON, read.amazon_price, KETTLE, TENT),
    ("What is the star rating of Amazon product {}?", AMAZON, read.amazon_rating, KETTLE, EARBUDS),
    ("How many ratings does Amazon product {} have?", AMAZON, read.amazon_reviews, EARBUDS, TENT),
    ("Is Amazon product {} in stock?", AMAZON, read.amazon_stock, TENT, KETTLE),
    ("What is the full title of Amazon product {}?", AMAZON, read.amazon_title, EARBUDS, KETTLE),
    ("What is the first listing in {} on Airbnb?", AIRBNB, read.airbnb_first, "Lisbon", "Kyoto"),
    ("How many places are there in {} on Airbnb?", AIRBNB, read.airbnb_count, "Kyoto", "Lisbon"),
    ("What is the cheapest listing in {} on Airbnb?", AIRBNB, read.airbnb_cheapest, "Lisbon", "Kyoto"),
    ("Which is the best rated place in {} on Airbnb?", AIRBNB, read.airbnb_best, "Kyoto", "Lisbon"),
    ("What is the title of story {} on Hacker News?", HN_ITEM, read.item_title, "41000004", "41000002"),
    ("How many points does story {} have on Hacker News?", HN_ITEM, read.item_points, "41000004", "41000003"),
    ("Who posted story {} on Hacker News?", HN_ITEM, read.item_author, "41000002", "41000005"),
    ("How many comments does story {} have on Hacker News?", HN_ITEM, read.item_comments, "41000003", "41000004"),
    ('What is the website of the Wikipedia article "{}"?', WIKI, read.infobox("Website"), "Port_Ellery",
     "Quill_(programming_language)"),
]
PRODUCTS = {
    "kettle": {"price": "$34.99", "rating": "4.6", "stock": "In stock", "brand": "Larkfield", "category": "Kitchen",
               "sku": "LK-1700"},
    "lamp": {"price": "$12.50", "rating": "4.1", "stock": "Only 2 left", "brand": "Luma", "category": "Lighting",
             "sku": "LU-0060"},
    "desk": {"price": "$120.00", "rating": "3.9", "stock": "Out of stock", "brand": "Oakline", "category": "Office",
             "sku": "OK-4410"},
}
SHOP_FIELDS = ["price", "rating", "stock", "brand", "category", "sku"]


def shop_page(path: str) -> bytes:
    parts = urllib.parse.urlsplit(path)
    if parts.path == "/search":
        q = urllib.parse.parse_qs(parts.query).get("q", [""])[0].lower()
        items = "".join(f'<li><a href="/item/{s}">{s.title()}</a></li>' for s in PRODUCTS if q and q in s)
        return f"<title>Results</title><ul>{items}</ul>".encode()
    if parts.path.startswith("/item/"):
        slug = parts.path.removeprefix("/item/")
        rows = "".join(f'<tr><th>{f.title()}</th><td class="{f}">{PRODUCTS[slug][f]}</td></tr>' for f in SHOP_FIELDS)
        return f"<title>{slug.title()}</title><h1>{slug.title()}</h1><table id=facts>{rows}</table>".encode()
    return (b'<title>Shop</title><form action="/search"><input name="q" aria-label="Search products">'
            b"<button>Go</button></form>")


def serve_shop() -> str:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = shop_page(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://localhost:{server.server_address[1]}/"


def shop_reply(field: str):
    """Search for the product the task names, open it, read the field from the page's text."""
    def reply(prompt: str) -> dict:
        title = re.search(r"^Current page: \S+ \((.*)\)$", prompt, re.M).group(1)
        product = re.findall(r'^Task: [^"\n]*"(\w+)" in the shop', prompt, re.M)[-1]  # not the system text's examples
        if title == "Shop":
            return {"action": "type", "ref": re.search(r'\[(e\d+)\] textbox "Search products"', prompt).group(1),
                    "text": product}
        if title == "Results":
            return {"action": "click", "ref": re.search(rf'\[(e\d+)\] link "{product.title()}"', prompt).group(1)}
        return finish(re.search(rf"^{field.title()}\n(.+)$", prompt, re.M).group(1))
    return reply


def run(client, task: str, url: str, **body) -> tuple[float, dict]:
    began = time.perf_counter()
    response = client.post("/v1/tasks", json={"endUserId": "bench", "task": task, "startUrl": url, **body})
    assert response.status_code == 201, response.text
    while True:
        record = client.get(f"/v1/tasks/{response.json()['taskId']}").json()
        if record["status"] in ("completed", "failed"):
            return time.perf_counter() - began, record
        time.sleep(0.02)


def shapes(shop: str) -> list[tuple]:
    """(task, start URL, a factory of the model's reply for one run, parameter A, parameter B)."""
    out = [(task, url, lambda r=reader: read.reading(r), a, b) for task, url, reader, a, b in REPLICA]
    out += [(f'What is the {f} of "{{}}" in the shop?', shop, lambda f=f: shop_reply(f), "kettle", "lamp")
            for f in SHOP_FIELDS]
    return out


def tokens(record: dict) -> int:
    usage = record.get("usage", {})
    return usage.get("promptTokens", 0) + usage.get("completionTokens", 0)


def how(record: dict, recorded: bool = True) -> str:
    """`replayed` (no model call), or `agent` and why: the replay diverged, the first run left no
    recipe, or none was matched."""
    if not recorded:
        return "agent    (the first run left no recipe)"
    if any(s.get("replayed") for s in record["stepSummaries"]):
        diverged = [s["msg"] for s in record["stepSummaries"] if "differs from the recipe" in s["msg"]]
        return f"agent    ({diverged[0].split('(', 1)[1].rsplit(')', 1)[0]})" if diverged else "replayed"
    return "agent    (no recipe matched)"


def measured(seconds: float, ok: bool, record: dict) -> tuple[float, bool, int, int]:
    return seconds, ok, record["usage"].get("llmCalls", 0), tokens(record)


def replica_shape(bench, n: int, shape: tuple) -> tuple[tuple, tuple, str]:
    """A, then B (replayed if it can be), then B with `replay: false`: the agent's answer the replay must equal."""
    task, url, reply, a, b = shape
    marker = f"(shape {n})"
    bench.llm.script(reply(), marker=marker)
    t1, r1 = run(bench.client, f"{task.format(a)} {marker}", url.format(a))
    bench.llm.script(reply(), marker=marker)  # asked only when the replay diverges
    t2, r2 = run(bench.client, f"{task.format(b)} {marker}", url.format(b))
    bench.llm.script(reply(), marker=marker)
    _, ref = run(bench.client, f"{task.format(b)} {marker}", url.format(b), replay=False)
    ok2 = r2["status"] == "completed" and r2.get("result") == ref.get("result")
    row = f"{task.format('…')[:58]:58} {'ok' if ok2 else 'WRONG'} {t1:5.2f}s -> {t2:5.2f}s {how(r2)}"
    return measured(t1, r1["status"] == "completed", r1), measured(t2, ok2, r2), row


def miniwob_episode(bench, episodes, asks: dict, n: int, shape, seed: int, **body) -> tuple[tuple, dict]:
    """One episode of a MiniWoB++ shape; its success is the episode's reward. With the scripted
    model the task carries the shape's marker."""
    asked = asks[(shape.task, seed)]
    marker = f"(shape {n})"
    if bench.llm:
        bench.llm.script(replay_miniwob.reply(shape, replay_miniwob.value_of(shape, asked)), marker=marker)
    url, episode = episodes.url(shape.task, seed)
    seconds, record = run(bench.client, f"{asked} {marker}" if bench.llm else asked, url, **body)
    return measured(seconds, record["status"] == "completed" and episodes.reward(episode) > 0, record), record


def miniwob_shape(bench, episodes, asks: dict, n: int, shape, **body) -> tuple[tuple, tuple | None, str]:
    """Seed A (the agent records the recipe), then seed B (replayed if it can be); none when A failed."""
    recipes = len(bench.client.get("/v1/recipes").json().get("recipes", []))
    first, r1 = miniwob_episode(bench, episodes, asks, n, shape, shape.seeds[0], **body)
    if not first[1]:
        kept = len(bench.client.get("/v1/recipes").json().get("recipes", [])) > recipes
        return first, None, (f"miniwob {shape.task:50} first run FAILED ({r1['status']}, {first[2]} LLM calls"
                             f"{', a recipe was recorded' if kept else ''}): nothing to replay")
    recorded = len(bench.client.get("/v1/recipes").json().get("recipes", [])) > recipes
    again, r2 = miniwob_episode(bench, episodes, asks, n, shape, shape.seeds[1], **body)
    row = (f"miniwob {shape.task:50} {'ok' if again[1] else 'WRONG'} {first[0]:5.2f}s -> {again[0]:5.2f}s "
           f"{how(r2, recorded)}")
    return first, again, row


def summary(first: list, again: list) -> None:
    for name, runs in (("first runs", first), ("replays", again)):
        if not runs:
            continue
        times = [r[0] for r in runs]
        print(f"{name:10}: success {sum(r[1] for r in runs)}/{len(runs)}, wall p50 {statistics.median(times):.2f}s "
              f"p90 {pct(times, 0.9):.2f}s, LLM calls {sum(r[2] for r in runs)}, tokens {sum(r[3] for r in runs)}")


def scripted(count: int, miniwob_only: bool) -> None:
    os.environ["STABLEBROWSE_ALLOWED_HOSTS"] = "localhost"  # the shop and the MiniWoB++ pages served here
    episodes = replay_miniwob.Episodes()
    asks = episodes.instructions(replay_miniwob.SHAPES)
    with scripted_stack("replay") as bench:
        admin(bench.admin_env, "business", "set-fastpath", bench.business_id, "off")  # every task in the browser
        first, again, rows = [], [], []
        todo = [] if miniwob_only else [(replica_shape, s) for s in shapes(serve_shop())]
        todo += [(lambda b, n, s: miniwob_shape(b, episodes, asks, n, s), s) for s in replay_miniwob.SHAPES]
        for n, (measure, shape) in enumerate(todo[:count]):
            one, two, row = measure(bench, n, shape)
            first.append(one)
            again += [two] if two else []
            rows.append(row)
        print("\n".join(rows))
        summary(first, again)
    episodes.close()


def local(count: int) -> None:
    """First runs of MiniWoB++ shapes through the local model, then replays with the other seed."""
    episodes = replay_miniwob.Episodes()
    chosen = replay_miniwob.SHAPES[:count]
    asks = episodes.instructions(chosen)
    env = {"STABLEBROWSE_LLM_BASE_URL": os.environ.get("BENCH_LLM_BASE_URL"), "STABLEBROWSE_LLM_MODEL": None,
           "STABLEBROWSE_ALLOWED_HOSTS": "localhost", "STABLEBROWSE_TASK_TIMEOUT_MS": "900000"}
    with stack("replay-local", env, timeout=900) as bench:
        first, again = [], []
        for n, shape in enumerate(chosen):
            one, two, row = miniwob_shape(bench, episodes, asks, n, shape, maxSteps=8)
            first.append(one)
            again += [two] if two else []
            usage = f" | LLM calls {one[2]} -> {two[2]}, tokens {one[3]} -> {two[3]}, {one[0] / two[0]:.0f}x" if two else ""
            print(row + usage, flush=True)
        summary(first, again)
        if again:
            ratio = statistics.median(first[i][0] for i in range(len(first)) if first[i][1]) / statistics.median(
                r[0] for r in again)
            print(f"replay vs first run (shapes whose first run succeeded): {ratio:.0f}x faster (median wall)")
    episodes.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--local", action="store_true", help="first runs through the local model (MiniWoB++ shapes)")
    parser.add_argument("--shapes", type=int, help="how many shapes (default: all scripted, 3 local)")
    parser.add_argument("--miniwob", action="store_true", help="the MiniWoB++ shapes only")
    args = parser.parse_args()
    if args.local:
        local(args.shapes or 3)
    else:
        scripted(args.shapes or 1000, args.miniwob)


if __name__ == "__main__":
    main()
