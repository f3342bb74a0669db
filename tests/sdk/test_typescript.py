"""The TypeScript SDK's tests (Node's own runner) against this session's real stack.

Here: build the SDK with tsc, make the businesses and LLM scripts the tests need, and run
`node --test` with them in STABLEBROWSE_* variables. `make test` installs node_modules first
(`npm ci`); when run alone, this does that too."""
import json
import os
import subprocess
import threading

from tests.conftest import REPO
from tests.integration.test_credentials import read_feed
from tests.integration.test_event_stream import gated
from tests.scripted_llm import Delay, finish, finish_with_title
from tests.sdk.conftest import TOP_STORY, click

TS = REPO / "sdks" / "typescript"
TESTS = ["test/unit.test.mjs", "test/sse.test.mjs", "test/api.test.mjs", "test/stream.test.mjs"]


def npm(*args: str) -> None:
    out = subprocess.run(["npm", *args], cwd=TS, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, f"npm {' '.join(args)}:\n{out.stdout}\n{out.stderr}"


def new_business(stack) -> dict:
    return json.loads(stack.admin("business", "create", "ts-sdk", "--json"))


def test_typescript_sdk(stack, business, llm):
    if not (TS / "node_modules" / ".bin" / "tsc").exists():
        npm("ci", "--no-audit", "--no-fund", "--prefer-offline")
    npm("run", "build")

    revoked = new_business(stack)
    stack.admin("key", "revoke", revoked["keyId"])
    rate = new_business(stack)
    stack.admin("quota", "set", rate["businessId"], "--requests-per-minute", "1")
    slot = new_business(stack)
    stack.admin("quota", "set", slot["businessId"], "--max-concurrent", "1")

    gate = threading.Event()  # holds the task the cancel test stops at its first model call
    env = {
        **os.environ,
        "STABLEBROWSE_TEST_STACK": "1",
        "STABLEBROWSE_BASE_URL": stack.base_url,
        "STABLEBROWSE_API_KEY": business["apiKey"],
        "STABLEBROWSE_TEST_TOP_MARKER": llm.script(finish(TOP_STORY)).marker,
        "STABLEBROWSE_TEST_STEPS_MARKER": llm.script(Delay(1, click("new")), Delay(1, finish_with_title)).marker,
        "STABLEBROWSE_TEST_HOLD_MARKER": llm.script(Delay(2, finish("done"))).marker,
        "STABLEBROWSE_TEST_FEED_MARKER": llm.script(read_feed).marker,
        "STABLEBROWSE_TEST_STREAM_MARKERS": ",".join(
            llm.script(Delay(1, click("new")), Delay(1, finish_with_title)).marker for _ in range(3)),
        "STABLEBROWSE_TEST_CANCEL_MARKER": llm.script(gated(gate, lambda prompt: finish("too late"))).marker,
        "STABLEBROWSE_TEST_REVOKED_KEY": revoked["apiKey"],
        "STABLEBROWSE_TEST_RATE_KEY": rate["apiKey"],
        "STABLEBROWSE_TEST_SLOT_KEY": slot["apiKey"],
    }
    try:
        out = subprocess.run(["node", "--test", "--test-reporter=spec", *TESTS],
                             cwd=TS, env=env, capture_output=True, text=True, timeout=420)
    finally:
        gate.set()
    print(out.stdout)
    assert out.returncode == 0, out.stdout + out.stderr
    summary = dict(line.split()[1:3] for line in out.stdout.splitlines() if line.startswith("ℹ "))
    assert summary["fail"] == "0" and summary["skipped"] == "0", summary
    assert int(summary["pass"]) >= 36, summary
