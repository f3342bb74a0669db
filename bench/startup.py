"""Cold and warm start times of `make up` (the stack alone; tools already installed).

cold: a fresh state directory (Kafka formats its log, MongoDB starts empty, the dev
business is created). warm: the same state directory again. Runs on free ports in a
temporary directory, so a dev stack on the default ports is left alone.
"""
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

REPO = pathlib.Path(__file__).resolve().parent.parent
STACK = [sys.executable, "-m", "dev.stack"]


def timed_up(state_dir: pathlib.Path) -> float:
    began = time.monotonic()
    subprocess.run([*STACK, "up", "--state-dir", str(state_dir), "--ephemeral-ports"], cwd=REPO, check=True,
                   stdout=subprocess.DEVNULL)
    took = time.monotonic() - began
    subprocess.run([*STACK, "down", "--state-dir", str(state_dir)], cwd=REPO, check=True, stdout=subprocess.DEVNULL)
    return took


def main(rounds: int = 3) -> None:
    cold, warm = [], []
    for i in range(rounds):
        with tempfile.TemporaryDirectory(prefix="sb-bench-") as tmp:
            state = pathlib.Path(tmp)
            cold.append(timed_up(state))
            warm.append(timed_up(state))
        print(f"round {i + 1}: cold {cold[-1]:.1f}s  warm {warm[-1]:.1f}s", flush=True)
    print(f"make up (stack only), {rounds} rounds: cold median {statistics.median(cold):.1f}s, "
          f"warm median {statistics.median(warm):.1f}s, warm/cold {statistics.median(warm) / statistics.median(cold):.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
