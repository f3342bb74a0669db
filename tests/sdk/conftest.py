"""SDK fixtures: clients of this test's business, and scripted agent replies."""
import os
import re

import pytest

from stablebrowse import Client

HN = "https://news.ycombinator.com/"
TOP_STORY = "Show HN: A tiny B-tree in 300 lines of Rust"


@pytest.fixture
def client(stack, business):
    with Client(api_key=business["apiKey"], base_url=stack.base_url) as sdk:
        yield sdk


@pytest.fixture
def env(stack, business):
    """The CLI's environment: this test's business key and the stack's URL, no stray end user or NO_COLOR."""
    clean = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "STABLEBROWSE_END_USER_ID")}
    return {**clean, "STABLEBROWSE_API_KEY": business["apiKey"], "STABLEBROWSE_BASE_URL": stack.base_url}


def marked(text: str, script) -> str:
    """The task text the scripted LLM recognises."""
    return f"{text} ({script.marker})"


def click(name: str):
    """A scripted reply that clicks the link with this name on the current page."""
    return lambda prompt: {"action": "click", "ref": re.search(r'\[(e\d+)\] link "' + re.escape(name) + '"', prompt).group(1)}
