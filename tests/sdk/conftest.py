"""SDK fixtures: clients of this test's business, and scripted agent replies."""
import re

import pytest

from stablebrowse import Client

HN = "https://news.ycombinator.com/"
TOP_STORY = "Show HN: A tiny B-tree in 300 lines of Rust"


@pytest.fixture
def client(stack, business):
    with Client(api_key=business["apiKey"], base_url=stack.base_url) as sdk:
        yield sdk


def marked(text: str, script) -> str:
    """The task text the scripted LLM recognises."""
    return f"{text} ({script.marker})"


def click(name: str):
    """A scripted reply that clicks the link with this name on the current page."""
    return lambda prompt: {"action": "click", "ref": re.search(r'\[(e\d+)\] link "' + re.escape(name) + '"', prompt).group(1)}
