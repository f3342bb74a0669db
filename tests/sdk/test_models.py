"""The SDK without a server: records, errors, retry decisions, and its name beside gen/'s stablebrowse.*."""
import datetime
import subprocess
import sys

import httpx
import pytest

import stablebrowse
from stablebrowse import Task, TaskPage
from stablebrowse._errors import status_error
from stablebrowse._retry import RetryPolicy

RECORD = {
    "taskId": "t1", "sessionId": "s1", "endUserId": "alice", "status": "completed", "task": "title?",
    "result": "Hacker News", "structured_content": {"title": "x"}, "totalSteps": 2, "durationMs": 812,
    "visitedUrls": ["https://news.ycombinator.com/"],
    "stepSummaries": [{"n": 1, "type": "navigation", "msg": "Opened", "success": True, "hasScreenshot": True,
                       "at": "2026-04-21T04:55:34.500Z", "shiny": 1},
                      {"n": 2, "type": "finalize", "msg": "Answered"}],
    "createdAt": "2026-04-21T04:55:34.123456789Z", "updatedAt": "2026-04-21T04:55:35Z",
    "usage": {"llmCalls": 2, "promptTokens": 900, "completionTokens": 20, "cachedTokens": 5},
    "maxSteps": 25, "startUrl": "https://news.ycombinator.com/",
    "costCents": 3, "replay": {"url": "https://example/replay"},  # fields a newer server might add
}


def test_record_reads_naturally_and_keeps_unknown_fields():
    task = Task.from_dict(RECORD)
    assert (task.task_id, task.session_id, task.status, task.result) == ("t1", "s1", "completed", "Hacker News")
    assert task.completed and task.done and not task.failed
    assert task.structured_content == {"title": "x"} and task.duration_ms == 812 and task.max_steps == 25
    assert [(s.n, s.type, s.success) for s in task.step_summaries] == [(1, "navigation", True), (2, "finalize", None)]
    assert task.step_summaries[0].raw["shiny"] == 1
    assert [s.has_screenshot for s in task.step_summaries] == [True, False]
    assert [s.at for s in task.step_summaries] == [
        datetime.datetime(2026, 4, 21, 4, 55, 34, 500000, tzinfo=datetime.UTC), None]
    assert task.usage.llm_calls == 2 and task.usage.raw["cachedTokens"] == 5
    assert task.created_at == datetime.datetime(2026, 4, 21, 4, 55, 34, 123456, tzinfo=datetime.UTC)
    assert task.raw["costCents"] == 3 and task.to_dict() == RECORD


def test_sparse_and_odd_records_do_not_break_parsing():
    task = Task.from_dict({"taskId": "t", "status": "pending", "createdAt": "not a time", "stepSummaries": None})
    assert task.status == "pending" and not task.done
    assert task.step_summaries == [] and task.visited_urls == [] and task.usage is None and task.created_at is None
    page = TaskPage.from_dict({"tasks": [RECORD], "nextPageToken": "abc", "extra": True})
    assert [t.task_id for t in page] == ["t1"] and page.next_page_token == "abc"
    assert TaskPage.from_dict({}).tasks == []


def test_verification_is_read_with_unsupported_defaulting_to_empty():
    task = Task.from_dict({"taskId": "t", "status": "failed", "errorCode": "ungrounded",
                           "verification": {"grounded": False, "unsupported": ["4120"]}})
    assert (task.verification.grounded, task.verification.unsupported) == (False, ["4120"])
    grounded = Task.from_dict({"taskId": "t", "status": "completed", "verification": {"grounded": True}})
    assert grounded.verification.grounded and grounded.verification.unsupported == []
    assert Task.from_dict({"taskId": "t", "status": "pending"}).verification is None


@pytest.mark.parametrize("status, name", [
    (400, "BadRequestError"), (401, "AuthenticationError"), (403, "PermissionDeniedError"),
    (404, "NotFoundError"), (429, "RateLimitError"), (413, "APIStatusError"), (503, "APIStatusError"),
])
def test_each_status_has_its_error_class(status, name):
    error = status_error(status, {"code": 3, "message": "task: must not be empty"}, {"retry-after": "7"})
    assert type(error).__name__ == name and isinstance(error, stablebrowse.APIStatusError)
    assert error.status_code == status and "task: must not be empty" in str(error)
    if status == 429:
        assert error.retry_after == 7.0


def response(status, **headers):
    return httpx.Response(status, headers=headers)


def test_retry_decisions():
    policy = RetryPolicy(max_retries=2)
    assert policy.wait_for_status(1, response(429, **{"retry-after": "5"})) == 5.0
    assert 0 < policy.wait_for_status(2, response(503)) <= 1.0  # backoff without Retry-After
    assert policy.wait_for_status(3, response(429, **{"retry-after": "1"})) is None  # attempts are bounded
    assert policy.wait_for_status(1, response(429, **{"retry-after": "3600"})) is None  # too long to wait
    assert policy.wait_for_status(1, response(500)) is None and policy.wait_for_status(1, response(400)) is None
    refused, reset = httpx.ConnectError("refused"), httpx.ReadError("reset")
    # A request that never reached the server may always be resent; after a reset only a
    # repeatable one (GET, PUT, DELETE, a POST with an Idempotency-Key) is.
    assert policy.wait_for_error(1, False, refused) is not None and policy.wait_for_error(1, True, refused)
    assert policy.wait_for_error(1, False, reset) is None  # may have arrived: not resent
    assert policy.wait_for_error(1, True, reset) is not None
    assert policy.wait_for_error(3, True, reset) is None  # attempts are bounded


def test_settings_come_from_the_environment(monkeypatch):
    monkeypatch.delenv("STABLEBROWSE_API_KEY", raising=False)
    with pytest.raises(stablebrowse.StablebrowseError, match="STABLEBROWSE_API_KEY"):
        stablebrowse.Client()
    monkeypatch.setenv("STABLEBROWSE_API_KEY", "sb_x")
    monkeypatch.setenv("STABLEBROWSE_BASE_URL", "http://example.invalid:9/")
    with stablebrowse.Client() as client:
        assert client.base_url == "http://example.invalid:9"


@pytest.mark.parametrize("first, second", [
    ("import stablebrowse", "from stablebrowse.tasks.v1 import tasks_pb2"),
    ("from stablebrowse.tasks.v1 import tasks_pb2", "import stablebrowse"),
])
def test_sdk_and_generated_protos_share_the_name(first, second):
    code = (f"{first}\n{second}\nfrom stablebrowse import Client, Task\n"
            "from stablebrowse.tasks.v1 import tasks_pb2\nfrom stablebrowse.scheduler.v1 import scheduler_pb2\n"
            "assert tasks_pb2.Task.DESCRIPTOR.full_name == 'stablebrowse.tasks.v1.Task'\n"
            "assert Client.__module__ == 'stablebrowse._client'")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_sdk_and_generated_protos_in_this_process():
    from stablebrowse.events.v1 import events_pb2
    from stablebrowse.tasks.v1 import tasks_pb2

    assert stablebrowse.Client and tasks_pb2.Task and events_pb2.TaskEvent


def test_models_know_every_field_of_the_generated_openapi():
    import json

    from stablebrowse import _models
    from tests.conftest import REPO

    definitions = json.loads((REPO / "gen" / "openapi.json").read_text())["definitions"]
    for name, fields in [("v1Task", _models._TASK_FIELDS), ("v1StepSummary", _models._STEP_FIELDS),
                         ("v1Usage", _models._USAGE_FIELDS), ("v1Credential", _models._CREDENTIAL_FIELDS)]:
        assert {wire for wire, _ in fields.values()} == set(definitions[name]["properties"]), name
    cookie_wire_names = {wire for wire, _ in _models._COOKIE_KEYS.values()}
    assert cookie_wire_names == set(definitions["v1Cookie"]["properties"])
    assert set(_models.Cookie.__annotations__) <= set(_models._COOKIE_KEYS)


def test_cookies_go_out_with_wire_names_and_bad_ones_never_echo_a_value():
    from stablebrowse._models import credential_body

    when = datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC)
    body = credential_body([{"name": "session", "value": "s3cret", "http_only": True, "same_site": "Lax",
                             "expires": when, "secure": False, "path": "/", "domain": None},
                            {"name": "b", "value": "v", "httpOnly": False, "expires": 1700000000}], "alice", "pw")
    assert body == {"cookies": [{"name": "session", "value": "s3cret", "httpOnly": True, "sameSite": "Lax",
                                 "expires": 1798761600, "secure": False, "path": "/"},
                                {"name": "b", "value": "v", "httpOnly": False, "expires": 1700000000}],
                    "username": "alice", "password": "pw"}
    assert credential_body(None, None, None) == {}  # the server says what is missing
    bad = [
        ([{"name": "a", "value": 12345678}], None, None, "cookies[0].value: must be str"),
        ([{"name": "a", "value": "s3cret", "expires": "s3cret"}], None, None, "cookies[0].expires:"),
        ([{"name": "a", "value": "s3cret", "expires": True}], None, None, "cookies[0].expires:"),
        ([{"name": "a"}], None, None, "cookies[0].value: required"),
        ([{"name": "a", "value": "s3cret", "http_only": True, "httpOnly": True}], None, None, "given twice"),
        ([{"name": "a", "value": "s3cret", "colour": "s3cret"}], None, None, "unknown key 'colour'"),
        ({"name": "a", "value": "s3cret"}, None, None, "cookies: a list"),
        (None, "alice", b"s3cret", "password: must be str"),
    ]
    for cookies, username, password, message in bad:
        with pytest.raises(TypeError) as raised:
            credential_body(cookies, username, password)
        assert message in str(raised.value) and "s3cret" not in str(raised.value) and "12345678" not in str(raised.value)


def test_credential_records_and_paths():
    from stablebrowse import Credential
    from stablebrowse._client import _credentials, _credentials_path

    record = {"domain": "social.example", "kind": "cookies", "updatedAt": "2026-04-21T04:55:34.5Z", "new": 1}
    credential = Credential.from_dict(record)
    assert (credential.domain, credential.kind) == ("social.example", "cookies")
    assert credential.updated_at == datetime.datetime(2026, 4, 21, 4, 55, 34, 500000, tzinfo=datetime.UTC)
    assert credential.to_dict() == record and "new" not in repr(credential)
    assert _credentials({}) == [] and _credentials({"credentials": [record]}) == [credential]
    assert _credentials_path("a/b c?%#") == "/v1/end-users/a%2Fb%20c%3F%25%23/credentials"
    assert _credentials_path("alice", "social.example") == "/v1/end-users/alice/credentials/social.example"
    assert _credentials_path("..", ".") == "/v1/end-users/%2E%2E/credentials/%2E"  # not dot segments
    assert _credentials_path("...") == "/v1/end-users/.../credentials"
    for args in (("",), ("", "social.example"), ("alice", "")):
        with pytest.raises(ValueError):
            _credentials_path(*args)
