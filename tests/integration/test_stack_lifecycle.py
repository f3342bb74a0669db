"""`make up` / `make down` semantics: up returns once healthy, down leaves no process behind."""
import json
import pathlib
import subprocess
import sys

import httpx

REPO = pathlib.Path(__file__).resolve().parents[2]
STACK = [sys.executable, "-m", "dev.stack"]


def processes_mentioning(text: str) -> list[str]:
    out = subprocess.run(["ps", "-eww", "-o", "pid,args"], capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if text in line and "ps -eww" not in line]


def test_up_is_healthy_and_down_twice_leaves_nothing(tmp_path):
    state = tmp_path / "state"
    up = subprocess.run([*STACK, "up", "--state-dir", str(state), "--ephemeral-ports"], cwd=REPO,
                        capture_output=True, text=True, timeout=300)
    assert up.returncode == 0, up.stdout + up.stderr
    info = json.loads((state / "stack.json").read_text())
    assert info["state"] == "ready"
    assert httpx.get(f"{info['baseUrl']}/v1/tasks/x").status_code == 401
    assert processes_mentioning(str(state))

    again = subprocess.run([*STACK, "up", "--state-dir", str(state)], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert again.returncode == 0 and "already running" in again.stdout

    for _ in range(2):
        down = subprocess.run([*STACK, "down", "--state-dir", str(state)], cwd=REPO, capture_output=True, text=True, timeout=120)
        assert down.returncode == 0
    assert processes_mentioning(str(state)) == []
    assert not (state / "stack.json").exists()
    # Chromium and Envoy do not carry the state dir on their command line: check their ports are closed.
    for port in info["ports"].values():
        try:
            httpx.get(f"http://127.0.0.1:{port}/", timeout=0.5)
        except httpx.TransportError:
            continue
        raise AssertionError(f"port {port} still answers after down")
