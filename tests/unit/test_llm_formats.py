"""The model client against an OpenAI-compatible endpoint that does not take every response_format."""
import pytest

from services.browser.agent.llm import Model
from services.common.failures import TaskFailure
from tests.scripted_llm import ScriptedLLM

SCHEMA = {"type": "object", "properties": {"action": {"type": "string"}}, "required": ["action"]}


@pytest.fixture
def endpoint():
    server = ScriptedLLM()
    yield server
    server.close()


async def ask(endpoint: ScriptedLLM, marker: str) -> tuple[Model, dict]:
    model = Model(endpoint.base_url, "", "any")
    try:
        return model, await model.ask("system", f"task {marker}", SCHEMA)
    finally:
        await model.close()


async def test_json_schema_is_asked_for_first(endpoint):
    script = endpoint.script({"action": "finish"})
    model, reply = await ask(endpoint, script.marker)
    assert reply == {"action": "finish"} and model.format == "json_schema"
    assert script.requests[0]["response_format"]["json_schema"]["schema"] == SCHEMA


async def test_an_endpoint_without_json_schema_gets_json_object(endpoint):
    endpoint.refused_formats = {"json_schema"}
    script = endpoint.script({"action": "click"})
    model, reply = await ask(endpoint, script.marker)
    assert reply == {"action": "click"} and model.format == "json_object"
    assert [r["response_format"] for r in script.requests] == [{"type": "json_object"}]


async def test_an_endpoint_without_response_format_gets_none_and_prose_around_json_is_cut(endpoint):
    endpoint.refused_formats = {"json_schema", "json_object"}
    script = endpoint.script('Sure! {"action": "back"} Hope that helps.')
    model, reply = await ask(endpoint, script.marker)
    assert reply == {"action": "back"} and model.format == "none"
    assert "response_format" not in script.requests[0]


async def test_other_bad_requests_are_errors_not_fallbacks(endpoint):
    endpoint.forbid("secret-value")
    with pytest.raises(TaskFailure, match="BadRequestError"):
        await ask(endpoint, "secret-value")
    assert len(endpoint.leaks) == 1
