"""browser-use's side of bench/peer.py. Runs in the peer virtualenv (browser-use pinned there,
never in the project's), so it imports nothing from the project.

Reads a JSON spec on stdin: {"base_url", "model", "chromium", "chromium_args", "max_steps",
"episodes": [{"id", "task", "url"}]}; prints one JSON line per episode: id, answer, steps,
llm_calls, prompt_tokens, completion_tokens, seconds, error.
"""
import asyncio
import json
import os
import sys
import time

os.environ.setdefault("ANONYMIZED_TELEMETRY", "false")
os.environ.setdefault("BROWSER_USE_CLOUD_SYNC", "false")
os.environ.setdefault("BROWSER_USE_LOGGING_LEVEL", "warning")
os.environ.setdefault("TIMEOUT_BrowserStartEvent", "120")  # Chromium starts slowly on a loaded 2-core machine

from browser_use import Agent, BrowserProfile, BrowserSession, ChatOpenAI  # noqa: E402


async def episode(spec: dict, item: dict) -> dict:
    llm = ChatOpenAI(model=spec["model"], base_url=spec["base_url"], api_key="none", temperature=0,
                     timeout=spec.get("timeout_s", 600), max_retries=1)
    profile = BrowserProfile(executable_path=spec["chromium"], headless=True, chromium_sandbox=False,
                             args=spec["chromium_args"], user_data_dir=None, keep_alive=False,
                             enable_default_extensions=False)  # they are downloaded at start: no internet here
    session = BrowserSession(browser_profile=profile)
    agent = Agent(task=item["task"], llm=llm, browser_session=session, use_vision=False, use_judge=False,
                  initial_actions=[{"navigate": {"url": item["url"], "new_tab": False}}],
                  llm_timeout=spec.get("timeout_s", 600), step_timeout=spec.get("timeout_s", 600) + 60,
                  enable_signal_handler=False)
    began = time.monotonic()
    error = ""
    try:
        history = await agent.run(max_steps=spec["max_steps"])
        answer, steps = history.final_result() or "", history.number_of_steps()
        usage = history.usage
    except Exception as exc:  # a peer failure is a result, not a crash of the bench
        answer, steps, usage, error = "", 0, None, f"{type(exc).__name__}: {str(exc)[:200]}"
    finally:
        await session.kill()
    return {"id": item["id"], "answer": answer, "steps": steps, "seconds": time.monotonic() - began, "error": error,
            "llm_calls": usage.entry_count if usage else 0,
            "prompt_tokens": usage.total_prompt_tokens if usage else 0,
            "completion_tokens": usage.total_completion_tokens if usage else 0}


async def main() -> None:
    spec = json.load(sys.stdin)
    for item in spec["episodes"]:
        print(json.dumps(await episode(spec, item)), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
