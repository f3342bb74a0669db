"""POST /v1/tasks throughput and latency through Envoy (each a real MongoDB write and Kafka produce).

Starts its own stack on free ports without the browser pool (so Chromium does not compete
for the 2 cores), creates a business with unlimited quotas, then drives submissions at
concurrency 1, 16 and 64 for a fixed time each and prints requests/s, p50 and p99.
Usage: python bench/submit.py [seconds-per-level]
"""
import asyncio
import json
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

import httpx

REPO = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from dev.stack import embedded  # noqa: E402

BODY = {"endUserId": "bench", "task": "What is the title?", "startUrl": "https://news.ycombinator.com/"}


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def drive(base_url: str, key: str, concurrency: int, seconds: float) -> dict:
    latencies: list[float] = []
    errors = 0
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base_url, headers={"Authorization": f"Bearer {key}"}, limits=limits,
                                 timeout=30) as client:
        async def one_client() -> None:
            nonlocal errors
            while time.monotonic() < deadline:
                began = time.perf_counter()
                response = await client.post("/v1/tasks", json=BODY)
                if response.status_code == 201:
                    latencies.append(time.perf_counter() - began)
                else:
                    errors += 1

        began = time.monotonic()
        await asyncio.gather(*(one_client() for _ in range(concurrency)))
        elapsed = time.monotonic() - began
    return {
        "concurrency": concurrency, "requests": len(latencies), "errors": errors,
        "rps": len(latencies) / elapsed,
        "p50_ms": statistics.median(latencies) * 1000, "p99_ms": percentile(latencies, 0.99) * 1000,
    }


def main(seconds: float) -> None:
    with tempfile.TemporaryDirectory(prefix="sb-bench-submit-") as tmp:
        proc, info = embedded.start(pathlib.Path(tmp), "--without", "browser")
        try:
            env = {**os.environ, "MONGODB_URI": info["mongodbUri"]}
            out = subprocess.run([str(REPO / ".venv/bin/stablebrowse-admin"), "business", "create", "bench", "--json"],
                                 env=env, capture_output=True, text=True, check=True).stdout
            business = json.loads(out)
            key = business["apiKey"]
            subprocess.run([str(REPO / ".venv/bin/stablebrowse-admin"), "quota", "set", business["businessId"],
                            "--requests-per-minute", "unlimited", "--max-concurrent", "unlimited"],
                           env=env, capture_output=True, check=True)  # a new business's quotas would refuse most
            asyncio.run(drive(info["baseUrl"], key, 4, 2))  # warm connections and JITs
            print(f"POST /v1/tasks through Envoy, {seconds:.0f}s per level ({os.cpu_count()} cores)")
            for concurrency in (1, 16, 64):
                r = asyncio.run(drive(info["baseUrl"], key, concurrency, seconds))
                print(f"  concurrency {r['concurrency']:>3}: {r['rps']:7.1f} req/s  p50 {r['p50_ms']:6.1f} ms  "
                      f"p99 {r['p99_ms']:6.1f} ms  ({r['requests']} ok, {r['errors']} errors)", flush=True)
        finally:
            embedded.stop(proc)


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 10)
