"""What the benches share: percentiles, the admin CLI, and a stack on free ports with the
scripted LLM and one business on it."""
import contextlib
import dataclasses
import json
import os
import pathlib
import subprocess
import sys
import tempfile
from collections.abc import Iterator

import httpx

REPO = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from dev.stack import embedded  # noqa: E402
from tests.scripted_llm import ScriptedLLM  # noqa: E402


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def admin(env: dict, *args: str) -> str:
    return subprocess.run([str(REPO / ".venv/bin/stablebrowse-admin"), *args], env=env, capture_output=True,
                          text=True, check=True).stdout


@dataclasses.dataclass
class Bench:
    state: pathlib.Path  # the stack's state directory (its logs are under logs/)
    client: httpx.Client  # through Envoy, as the bench's business
    llm: ScriptedLLM | None  # None: the local model
    admin_env: dict = dataclasses.field(default_factory=dict)  # runs admin() against this stack
    business_id: str = ""


@contextlib.contextmanager
def scripted_stack(name: str) -> Iterator[Bench]:
    llm = ScriptedLLM()
    os.environ.update(STABLEBROWSE_LLM_BASE_URL=llm.base_url, STABLEBROWSE_LLM_MODEL="scripted")
    try:
        with stack(name) as bench:
            bench.llm = llm
            yield bench
    finally:
        llm.close()


@contextlib.contextmanager
def stack(name: str, env: dict[str, str | None] | None = None, timeout: float = 300) -> Iterator[Bench]:
    """A stack on free ports and one business on it; `env` as for embedded.start (a None value
    unsets a name: without STABLEBROWSE_LLM_BASE_URL the stack runs the local model itself)."""
    with tempfile.TemporaryDirectory(prefix=f"sb-bench-{name}-") as tmp:
        state = pathlib.Path(tmp)
        proc, info = embedded.start(state, timeout=timeout, env=env)
        try:
            env = embedded.admin_env(state, info)
            biz = json.loads(admin(env, "business", "create", f"bench-{name}", "--json"))
            with httpx.Client(base_url=info["baseUrl"], headers={"Authorization": f"Bearer {biz['apiKey']}"},
                              timeout=30) as client:
                yield Bench(state, client, None, env, biz["businessId"])
        finally:
            embedded.stop(proc)
