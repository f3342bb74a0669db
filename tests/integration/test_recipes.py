"""Recipes on the real stack (scripted model): a grounded run is recorded, a task of the same
shape with another parameter replays it without the model, a changed page hands over to the
agent (never an answer from the stale recipe), and recipes stay with their business."""
import json
import re
import urllib.parse
import uuid

import httpx
import pytest

from tests.conftest import wait_terminal
from tests.scripted_llm import finish

PRODUCTS = {"kettle": ("Kettle", "$34.99"), "lamp": ("Lamp", "$12.50"), "desk": ("Desk", "$120.00")}
TASK = 'What is the price of "{}" in the shop? ({})'


class Shop:
    """A small shop at http://localhost:PORT: search box, result links, item pages. `variant`
    changes it the way sites change: "renamed" (the search box has another name), "moved"
    (the price sits elsewhere on the item page)."""

    def __init__(self, local_site):
        self.variant = ""
        self.url = local_site(self.page) + "/"

    def page(self, path: str) -> tuple[bytes, list]:
        parts = urllib.parse.urlsplit(path)
        if parts.path == "/search":
            q = urllib.parse.parse_qs(parts.query).get("q", [""])[0].lower()
            items = "".join(f'<li><a href="/item/{slug}">{name}</a> in stock</li>'
                            for slug, (name, _) in PRODUCTS.items() if q and q in slug)
            return f"<title>Results</title><ul>{items}</ul>".encode(), []
        if parts.path.startswith("/item/"):
            name, price = PRODUCTS[parts.path.removeprefix("/item/")]
            box = (f'<div id="offer"><p>Now only</p><b>{price}</b></div>' if self.variant == "moved" else
                   f'<div id="buybox"><span class="label">Price:</span> <span class="amount">{price}</span></div>')
            return f"<title>{name}</title><h1>{name}</h1>{box}".encode(), []
        label = "Find products" if self.variant == "renamed" else "Search products"
        return (f'<title>Shop</title><h1>Shop</h1><form action="/search"><input name="q" aria-label="{label}">'
                '<button>Go</button></form>').encode(), []


@pytest.fixture
def shop(local_site) -> Shop:
    return Shop(local_site)


def ref(prompt: str, line: str) -> str:
    return re.search(r"\[(e\d+)\] " + re.escape(line), prompt).group(1)


def agent_run(product: str, label: str = "Search products") -> list:
    """The model's replies for a first run: search, open the result, read the price."""
    name, price = PRODUCTS[product]
    return [lambda p: {"action": "type", "ref": ref(p, f'textbox "{label}"'), "text": product},
            lambda p: {"action": "click", "ref": ref(p, f'link "{name}"')},
            finish(price)]


def ask(client, shop: Shop, marker: str, product: str, **body) -> dict:
    response = client.post("/v1/tasks", json={"endUserId": "buyer", "task": TASK.format(product, marker),
                                              "startUrl": shop.url, **body})
    assert response.status_code == 201, response.text
    return wait_terminal(client, response.json()["taskId"])


def calls(record: dict) -> int:
    """usage.llmCalls (0 is omitted from the JSON, like every zero number)."""
    return record["usage"].get("llmCalls", 0)


def replayed(record: dict) -> list[dict]:
    return [s for s in record["stepSummaries"] if s.get("replayed")]


def recorded(client, llm, shop: Shop) -> tuple[str, dict]:
    """A first, grounded run of the agent; returns the marker and the recipe it left."""
    marker = f"case-{uuid.uuid4().hex[:10]}"
    llm.script(*agent_run("kettle"), marker=marker)
    first = ask(client, shop, marker, "kettle")
    assert first["status"] == "completed" and first["result"] == "$34.99", first
    assert first["verification"] == {"grounded": True} and calls(first) == 3
    recipes = client.get("/v1/recipes").json()["recipes"]
    assert len(recipes) == 1, recipes
    return marker, recipes[0]


def test_a_grounded_run_is_recorded_without_the_end_users_value(api, llm, shop):
    marker, recipe = recorded(api, llm, shop)
    assert recipe["template"] == TASK.format("{p1}", marker)
    assert [(s["action"], s["role"], s["name"]) for s in recipe["steps"]] == [
        ("type", "textbox", "Search products"), ("click", "link", "{p1}")]
    assert recipe["steps"][0]["text"] == "{p1}"
    assert recipe["reads"][0]["path"].startswith("#buybox > span.amount")
    assert "kettle" not in json.dumps(recipe).lower()


def test_another_parameter_replays_without_the_model(api, llm, shop):
    marker, recipe = recorded(api, llm, shop)
    script = llm.script(finish("$99.99"), marker=marker)  # asked only if the replay failed
    record = ask(api, shop, marker, "lamp")
    assert record["status"] == "completed" and record["result"] == "$12.50", record
    assert calls(record) == 0 and script.prompts == []
    assert record["verification"] == {"grounded": True}
    assert len(replayed(record)) == 3 and all(s["success"] for s in record["stepSummaries"])
    assert api.get("/v1/recipes").json()["recipes"][0]["replays"] == 1


def test_an_item_keyed_read_replays_for_another_item(api, llm):
    # The replica's item pages (real HN markup) show the score in span#score_<item id>: the
    # recipe must read the other item's element, not the recorded one (which is not on its page).
    marker = f"case-{uuid.uuid4().hex[:10]}"
    task = "How many points does story {} have on Hacker News? (" + marker + ")"
    llm.script(finish("164 points"), marker=marker)
    first = wait_terminal(api, api.post("/v1/tasks", json={
        "endUserId": "reader", "task": task.format("41000004"),
        "startUrl": "https://news.ycombinator.com/item?id=41000004"}).json()["taskId"])
    assert first["status"] == "completed" and first["verification"] == {"grounded": True}, first
    [recipe] = api.get("/v1/recipes").json()["recipes"]
    assert recipe["reads"][0]["path"] == "#score_{p1}", recipe
    script = llm.script(finish("164 points"), marker=marker)  # asked only if the replay diverged
    again = wait_terminal(api, api.post("/v1/tasks", json={
        "endUserId": "reader", "task": task.format("41000003"),
        "startUrl": "https://news.ycombinator.com/item?id=41000003"}).json()["taskId"])
    assert again["status"] == "completed" and again["result"] == "275 points", again
    assert calls(again) == 0 and script.prompts == []


def test_a_moved_price_hands_over_to_the_agent_and_its_run_replaces_the_recipe(api, llm, shop):
    marker, old = recorded(api, llm, shop)
    shop.variant = "moved"
    script = llm.script(finish("$12.50"), marker=marker)
    record = ask(api, shop, marker, "lamp")
    assert record["status"] == "completed" and record["result"] == "$12.50", record
    assert calls(record) == 1 and "Now only" in script.prompts[0]
    diverged = [s for s in record["stepSummaries"] if "differs from the recipe" in s["msg"]]
    assert len(diverged) == 1 and diverged[0]["success"] is False
    [new] = api.get("/v1/recipes").json()["recipes"]
    assert new["recipeId"] == old["recipeId"] and new["reads"][0]["path"].startswith("#offer > b")
    assert new.get("divergences", 0) == 0


def test_a_renamed_target_never_answers_from_the_stale_recipe(api, llm, shop):
    marker, _ = recorded(api, llm, shop)
    shop.variant = "renamed"
    script = llm.script(*agent_run("desk", label="Find products"), marker=marker)
    record = ask(api, shop, marker, "desk")
    assert record["status"] == "completed" and record["result"] == "$120.00", record
    assert calls(record) == 3 and 'textbox "Find products"' in script.prompts[0]
    assert [s["msg"] for s in replayed(record)][-1].startswith("The page differs from the recipe (step 1")


def test_a_recipe_that_keeps_diverging_is_retired(api, llm, shop):
    marker, _ = recorded(api, llm, shop)
    shop.variant = "renamed"
    script = llm.script({"action": "scroll", "text": "down"}, marker=marker)  # the agent never finds it either
    for _ in range(3):
        failed = ask(api, shop, marker, "lamp", maxSteps=1)
        assert failed["status"] == "failed" and failed["errorCode"] == "max_steps", failed
        assert replayed(failed), failed  # each of the three was given the recipe
    [recipe] = api.get("/v1/recipes").json()["recipes"]
    assert recipe["retired"] is True and recipe["divergences"] == 3
    shop.variant = ""
    asked = len(script.prompts)
    again = ask(api, shop, marker, "lamp", maxSteps=1)
    assert not replayed(again) and len(script.prompts) == asked + 1


def test_replay_false_and_set_replay_off_use_the_model(api, llm, shop, stack, business):
    marker, _ = recorded(api, llm, shop)
    llm.script(*agent_run("lamp"), marker=marker)
    record = ask(api, shop, marker, "lamp", replay=False)
    assert calls(record) == 3 and not replayed(record)
    stack.admin("business", "set-replay", business["businessId"], "off")
    llm.script(*agent_run("lamp"), marker=marker)
    record = ask(api, shop, marker, "lamp")
    assert calls(record) == 3 and not replayed(record)
    stack.admin("business", "set-replay", business["businessId"], "on")
    assert calls(ask(api, shop, marker, "lamp")) == 0


def test_another_business_never_sees_nor_matches_the_recipe(api, llm, shop, stack):
    marker, recipe = recorded(api, llm, shop)
    other = json.loads(stack.admin("business", "create", f"test-{uuid.uuid4().hex[:8]}", "--json"))
    with httpx.Client(base_url=stack.base_url, headers={"Authorization": f"Bearer {other['apiKey']}"},
                      timeout=30) as client:
        assert client.get("/v1/recipes").json().get("recipes", []) == []
        gone = client.delete(f"/v1/recipes/{recipe['recipeId']}")
        assert gone.status_code == 404, gone.text
        llm.script(*agent_run("lamp"), marker=marker)
        record = ask(client, shop, marker, "lamp")
        assert calls(record) == 3 and not replayed(record)
    assert api.delete(f"/v1/recipes/{recipe['recipeId']}").status_code == 200
    assert api.get("/v1/recipes").json().get("recipes", []) == []


@pytest.mark.parametrize("value", ["no", 0, [False]])
def test_replay_must_be_a_boolean(api, value):
    response = api.post("/v1/tasks", json={"endUserId": "buyer", "task": "t", "replay": value})
    assert response.status_code == 400, response.text
    assert response.json()["message"].startswith("replay:"), response.json()


def test_a_sign_in_is_recorded_as_placeholders_and_replayed_without_the_model(api, llm):
    """The replica's script-driven sign-in: the model types {{username}}/{{password}}; the
    recipe keeps those placeholders (never the password), and its replay signs in again."""
    password = "correct horse battery staple"  # alice's on the replica's social.example
    llm.forbid(password)
    assert api.put("/v1/end-users/reader/credentials/social.example",
                   json={"username": "alice", "password": password}).status_code == 200
    script = llm.script(
        lambda p: {"action": "type", "ref": ref(p, 'textbox "Phone, email or username"'), "text": "{{username}}"},
        lambda p: {"action": "type", "ref": ref(p, 'password "Password"'), "text": "{{password}}"},
        lambda p: finish(re.search(r"(Finally finished the bookshelf\.[^·\n\[]*[^·\s\[])", p).group(1)))
    body = {"endUserId": "reader", "task": f"What is the newest post in my feed? ({script.marker})",
            "startUrl": "https://social.example/i/flow/login?next=/home"}
    first = wait_terminal(api, api.post("/v1/tasks", json=body).json()["taskId"])
    assert first["status"] == "completed" and calls(first) == 3, first
    [recipe] = api.get("/v1/recipes").json()["recipes"]
    assert [s.get("text") for s in recipe["steps"]] == ["{{username}}", "{{password}}"]
    assert password not in json.dumps(recipe) and "alice" not in json.dumps(recipe)
    again = wait_terminal(api, api.post("/v1/tasks", json=body).json()["taskId"])
    assert again["status"] == "completed" and again["result"] == first["result"], again
    assert calls(again) == 0 and len(script.prompts) == 3


def test_a_later_turn_of_a_session_is_not_replayed(api, llm, shop):
    """A follow-up may lean on the earlier turns (previousContext): the agent reads them."""
    marker, _ = recorded(api, llm, shop)
    script = llm.script(*agent_run("lamp"), marker=marker)
    first = api.post("/v1/tasks", json={"endUserId": "buyer", "task": TASK.format("kettle", marker),
                                        "startUrl": shop.url, "replay": True}).json()
    assert calls(wait_terminal(api, first["taskId"])) == 0  # a first turn replays
    second = api.post("/v1/tasks", json={"endUserId": "buyer", "task": TASK.format("lamp", marker),
                                         "startUrl": shop.url, "sessionId": first["sessionId"]}).json()
    record = wait_terminal(api, second["taskId"])
    assert record["result"] == "$12.50" and calls(record) == 3 and not replayed(record)
    assert "Earlier turns" in script.prompts[0]
