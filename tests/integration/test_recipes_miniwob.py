"""Recipes on a MiniWoB++ episode page (real Chromium; the page's own reward judges what was
done): "Click on Tab #1." records a recipe that "Click on Tab #3." replays without the model,
and the replayed click is the one the episode rewards."""
import re
import time
import uuid

import pytest

from bench import miniwob
from tests.conftest import wait_terminal
from tests.scripted_llm import finish

# What the seeded generator of click-tab asks (MiniWoB++ 1.1.0): seed 1 "Click on Tab #1.", seed 2 "Click on Tab #3.".
ASKS = {1: "Click on Tab #1.", 2: "Click on Tab #3."}


@pytest.fixture
def episodes():
    rewards: dict[str, dict] = {}
    server = miniwob.serve(miniwob.miniwob_html(), rewards)
    yield f"http://localhost:{server.server_address[1]}", rewards
    server.shutdown()


def episode(api, episodes, seed: int, marker: str) -> tuple[dict, float]:
    """The task's record and its episode's raw reward (1 right, -1 wrong, 0 never ended)."""
    site, rewards = episodes
    run = uuid.uuid4().hex
    created = api.post("/v1/tasks", json={"endUserId": "tester", "task": f"{ASKS[seed]} ({marker})",
                                          "startUrl": f"{site}/miniwob/click-tab.html?seed={seed}&run={run}"})
    assert created.status_code == 201, created.text
    record = wait_terminal(api, created.json()["taskId"])
    deadline = time.monotonic() + 10  # the page posts its reward as the click ends the episode
    while run not in rewards and time.monotonic() < deadline:
        time.sleep(0.05)
    return record, rewards.get(run, {}).get("raw", 0.0)


def test_a_tab_click_is_replayed_for_another_tab_and_the_episode_rewards_it(api, llm, episodes):
    marker = f"case-{uuid.uuid4().hex[:10]}"
    llm.script(lambda p: {"action": "click", "ref": re.search(r'\[(e\d+)\] tab "Tab #1"', p).group(1)},
               finish("Done"), marker=marker)
    first, reward = episode(api, episodes, 1, marker)
    assert first["status"] == "completed" and reward == 1, (first, reward)
    [recipe] = api.get("/v1/recipes").json()["recipes"]
    assert recipe["startUrl"].endswith("/miniwob/click-tab.html"), recipe  # the path as the page has it
    script = llm.script(finish("Done"), marker=marker)  # asked only if the replay diverged
    again, reward = episode(api, episodes, 2, marker)
    assert again["status"] == "completed" and reward == 1, (again, reward)
    assert again["usage"].get("llmCalls", 0) == 0 and script.prompts == []
    assert 'Clicked "Tab #3"' in [s["msg"] for s in again["stepSummaries"] if s.get("replayed")], again
