"""Recipes: first runs through the agent against replays with new parameter values, on the
real stack with the scripted LLM (model time is out of both numbers; the local model is not run).

Each task shape (replica Amazon, Airbnb, Hacker News, Wikipedia pages, and a search-and-click
shop served here) runs three times: the agent with parameter A (records the recipe), the same
shape with parameter B (replays it), and B again with `replay: false` — the agent's answer for
B, which the replay must equal to count as a success. Indexed answers are off for the bench's
business, so every task runs in the browser. Prints success, wall time (POST -> terminal),
LLM calls and tokens for first runs vs replays, and each shape's outcome.

Usage: python bench/replay.py
"""
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

from harness import admin, pct, scripted_stack  # noqa: E402

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


def main() -> None:
    os.environ["STABLEBROWSE_ALLOWED_HOSTS"] = "localhost"  # the shop served here
    with scripted_stack("replay") as bench:
        admin(bench.admin_env, "business", "set-fastpath", bench.business_id, "off")  # every task in the browser
        first, again, rows = [], [], []
        for n, (task, url, reply, a, b) in enumerate(shapes(serve_shop())):
            marker = f"(shape {n})"
            bench.llm.script(reply(), marker=marker)
            t1, r1 = run(bench.client, f"{task.format(a)} {marker}", url.format(a))
            bench.llm.script(reply(), marker=marker)  # asked only when the replay diverges
            t2, r2 = run(bench.client, f"{task.format(b)} {marker}", url.format(b))
            bench.llm.script(reply(), marker=marker)
            _, ref = run(bench.client, f"{task.format(b)} {marker}", url.format(b), replay=False)
            replayed = any(s.get("replayed") for s in r2["stepSummaries"])
            ok2 = r2["status"] == "completed" and r2.get("result") == ref.get("result")
            first.append((t1, r1["status"] == "completed", r1["usage"].get("llmCalls", 0), tokens(r1)))
            again.append((t2, ok2, r2["usage"].get("llmCalls", 0), tokens(r2)))
            rows.append(f"{task.format('…')[:58]:58} {'replayed' if replayed else 'agent':8} "
                        f"{'ok' if ok2 else 'WRONG'} {t1:5.2f}s -> {t2:5.2f}s")
        print("\n".join(rows))
        for name, runs in (("first runs", first), ("replays", again)):
            times = [r[0] for r in runs]
            print(f"{name:10}: success {sum(r[1] for r in runs)}/{len(runs)}, wall p50 {statistics.median(times):.2f}s "
                  f"p90 {pct(times, 0.9):.2f}s, LLM calls {sum(r[2] for r in runs)}, tokens {sum(r[3] for r in runs)}")


if __name__ == "__main__":
    main()
