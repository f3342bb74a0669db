"""POST /v1/tasks throughput and latency through Envoy (each a real MongoDB write and Kafka produce).

Starts its own stack on free ports without the browser pool and the model (so they do not compete
for the 2 cores), creates a business with unlimited quotas, then drives submissions at
concurrency 1, 16 and 64 for a fixed time each with `hey` (a compiled load generator, built
from the Go module proxy into .tools/bin on first use, limited to one core so the client does
not eat the server's CPU) and prints requests/s, p50 and p99 of the 201s.
The task is one the indexer declines, so every submission is queued for the browser pool.

Usage: python bench/submit.py [seconds-per-level] [--profile] [--levels=1,16,64]
  --profile: py-spy (pip) records the gateway and scheduler during the concurrency-64 level;
             the hottest functions are printed and the flame graphs kept in bench/profiles/.
"""
import csv
import io
import json
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile

REPO = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from dev.stack import embedded  # noqa: E402

HEY = REPO / ".tools" / "bin" / "hey"
HEY_MODULE = "github.com/rakyll/hey@v0.1.4"
PY_SPY = REPO / ".venv" / "bin" / "py-spy"
BODY = {"endUserId": "bench", "task": "Book the cheapest table for two at a ramen place near me tonight"}


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def ensure_tools(profile: bool) -> None:
    if not HEY.exists():
        print(f"[bench] go install {HEY_MODULE} -> {HEY.parent}", flush=True)
        subprocess.run(["go", "install", HEY_MODULE], env={**os.environ, "GOBIN": str(HEY.parent)}, check=True)
    if profile and not PY_SPY.exists():
        subprocess.run([str(REPO / ".venv/bin/python"), "-m", "pip", "install", "-q", "py-spy>=0.3,<0.5"], check=True)


def drive(url: str, key: str, concurrency: int, seconds: float) -> dict:
    """One level with hey; latencies of the 201s from its per-request CSV."""
    out = subprocess.run(
        [str(HEY), "-z", f"{seconds}s", "-c", str(concurrency), "-cpus", "1", "-m", "POST", "-o", "csv",
         "-T", "application/json", "-H", f"Authorization: Bearer {key}", "-d", json.dumps(BODY), f"{url}/v1/tasks"],
        capture_output=True, text=True, check=True).stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    latencies = [float(r["response-time"]) for r in rows if r["status-code"] == "201"]
    elapsed = max((float(r["offset"]) + float(r["response-time"]) for r in rows), default=seconds)
    return {
        "concurrency": concurrency, "requests": len(latencies), "errors": len(rows) - len(latencies),
        "rps": len(latencies) / elapsed,
        "p50_ms": statistics.median(latencies) * 1000 if latencies else 0.0,
        "p99_ms": percentile(latencies, 0.99) * 1000 if latencies else 0.0,
    }


def profile(pids: dict, seconds: float, into: pathlib.Path) -> list[subprocess.Popen]:
    into.mkdir(parents=True, exist_ok=True)
    return [subprocess.Popen([str(PY_SPY), "record", "--pid", str(pids[name]), "--duration", str(int(seconds)),
                              "--rate", "200", "--gil", "--format", "raw", "--output", str(into / f"{name}.txt")],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for name in ("gateway", "scheduler")]


def hottest(path: pathlib.Path, count: int = 12) -> list[tuple[str, float]]:
    """Our functions (services/) and the libraries' innermost frames by the share of GIL-holding
    samples they appear in, from py-spy's raw output (idle threads hold no GIL: not counted)."""
    total, seen = 0, {}
    for line in path.read_text().splitlines():
        stack, _, samples = line.rpartition(" ")
        n = int(samples)
        total += n
        frames = stack.split(";")
        for frame in {f for f in frames if "services/" in f} | {frames[-1]}:
            seen[frame] = seen.get(frame, 0) + n
    ranked = sorted(seen.items(), key=lambda item: -item[1])
    return [(frame, share / total) for frame, share in ranked[:count]] if total else []


def cpu_seconds(pids: dict) -> dict[str, float]:
    """CPU time (user + system) each stack process has used so far, children included (Envoy's
    and the JVMs' threads are in their process; a component started by a shell is its child)."""
    ticks = os.sysconf("SC_CLK_TCK")
    used = {}
    for name, pid in pids.items():
        try:
            fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        used[name] = sum(int(f) for f in fields[11:15]) / ticks  # utime stime cutime cstime
    return used


def cpu_per_request(before: dict, after: dict, requests: int) -> str:
    spent = {name: (after[name] - before.get(name, 0)) * 1000 / max(requests, 1) for name in after}
    return "  ".join(f"{name} {ms:.1f}" for name, ms in sorted(spent.items(), key=lambda i: -i[1]) if ms >= 0.05)


def admin(env: dict, *args: str) -> str:
    return subprocess.run([str(REPO / ".venv/bin/stablebrowse-admin"), *args], env=env, capture_output=True,
                          text=True, check=True).stdout


def main(seconds: float, with_profile: bool, levels: tuple[int, ...] = (1, 16, 64)) -> None:
    ensure_tools(with_profile)
    with tempfile.TemporaryDirectory(prefix="sb-bench-submit-") as tmp:
        proc, info = embedded.start(pathlib.Path(tmp), "--without", "browser", "--without", "llm")
        try:
            env = embedded.admin_env(pathlib.Path(tmp), info)
            business = json.loads(admin(env, "business", "create", "bench", "--json"))
            admin(env, "quota", "set", business["businessId"], "--requests-per-minute", "unlimited",
                  "--max-concurrent", "unlimited")  # a new business's quotas would refuse most
            drive(info["baseUrl"], business["apiKey"], 4, 2)  # warm connections
            print(f"POST /v1/tasks through Envoy, {seconds:.0f}s per level ({os.cpu_count()} cores), client: hey")
            print(f"  load average before: {os.getloadavg()[0]:.1f}")
            for concurrency in levels:
                spies = profile(info["pids"], seconds, REPO / "bench" / "profiles") if (
                    with_profile and concurrency == 64) else []
                before = cpu_seconds(info["pids"])
                r = drive(info["baseUrl"], business["apiKey"], concurrency, seconds)
                used = cpu_per_request(before, cpu_seconds(info["pids"]), r["requests"])
                print(f"  concurrency {r['concurrency']:>3}: {r['rps']:7.1f} req/s  p50 {r['p50_ms']:6.1f} ms  "
                      f"p99 {r['p99_ms']:6.1f} ms  ({r['requests']} ok, {r['errors']} errors)", flush=True)
                print(f"    CPU ms per request: {used}", flush=True)
                for spy in spies:
                    spy.wait()
        finally:
            embedded.stop(proc)
    if with_profile:
        for name in ("gateway", "scheduler"):
            print(f"  {name}: share of samples (inclusive) at concurrency 64")
            for frame, share in hottest(REPO / "bench" / "profiles" / f"{name}.txt"):
                print(f"    {share:6.1%}  {frame[:150]}")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    chosen = next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--levels=")), "1,16,64")
    main(float(args[0]) if args else 10, "--profile" in sys.argv, tuple(int(c) for c in chosen.split(",")))
