"""End users' credentials through the Python SDK and the CLI, against the real stack (the
replica's login-walled social.example; the scripted LLM plays the model)."""
import datetime
import json
import logging
import subprocess
import uuid

import pytest

import stablebrowse
from stablebrowse import AsyncClient, Credential
from tests.integration.test_credentials import COOKIE, HOME, NEWEST_POST, PASSWORD, SECRETS, SOCIAL, read_feed
from tests.sdk.conftest import marked
from tests.sdk.test_cli import CLI

# Any character may be in an end user id: the SDK percent-encodes it whole into the path.
ODD_USER = "tenant/42 ?&=#%+ü"


def end_user() -> str:
    return f"sdk-{uuid.uuid4().hex[:8]}"


def assert_no_secret(*objects) -> None:
    for obj in objects:
        for text in (repr(obj), str(obj), json.dumps(getattr(obj, "raw", None))):
            for secret in SECRETS:
                assert secret not in text


def test_put_list_delete_round_trip(client, caplog):
    caplog.set_level(logging.DEBUG)  # stablebrowse, httpx and httpcore at their most talkative
    user = end_user()
    stored = client.credentials.put(user, SOCIAL, cookies=[
        {"name": "session", "value": COOKIE, "http_only": True, "secure": True, "same_site": "Lax",
         "expires": int(datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC).timestamp())},
    ])
    assert isinstance(stored, Credential) and (stored.domain, stored.kind) == (SOCIAL, "cookies")
    assert stored.updated_at.tzinfo is not None
    assert abs(stored.updated_at - datetime.datetime.now(datetime.UTC)) < datetime.timedelta(minutes=5)
    replaced = client.credentials.put(user, "Social.Example", username="alice", password=PASSWORD,
                                      cookies=[{"name": "session", "value": COOKIE}])
    assert (replaced.domain, replaced.kind) == (SOCIAL, "cookies+password") and replaced.updated_at >= stored.updated_at
    listed = client.credentials.list(user)
    assert [(c.domain, c.kind) for c in listed] == [(SOCIAL, "cookies+password")]
    assert set(listed[0].raw) == {"domain", "kind", "updatedAt"}
    assert_no_secret(stored, replaced, listed)
    assert client.credentials.list(end_user()) == []  # the server leaves the list out when empty
    assert client.credentials.delete(user, SOCIAL) is None
    assert client.credentials.list(user) == []
    assert {r.name.split(".")[0] for r in caplog.records} >= {"httpx", "httpcore"}
    assert_no_secret(caplog.text)


@pytest.mark.parametrize("user, neighbours", [
    (ODD_USER, ["tenant", "tenant/42 ", "tenant%2F42 ?&=#%+ü"]),
    ("..", ["%2E%2E", "."]),  # not resolved as a dot segment on the way
    (".", ["%2E", ".."]),
])
def test_any_end_user_id_is_its_own_path_segment(client, user, neighbours):
    stored = client.credentials.put(user, SOCIAL, cookies=[{"name": "session", "value": COOKIE}])
    assert stored.kind == "cookies"
    assert [c.domain for c in client.credentials.list(user)] == [SOCIAL]
    for other in neighbours:
        assert client.credentials.list(other) == [], other
    client.credentials.delete(user, SOCIAL)
    assert client.credentials.list(user) == []


def test_bad_requests_name_the_field(client):
    user = end_user()
    cases = [
        ("not a domain", {"cookies": [{"name": "a", "value": "b"}]}, "domain:"),
        (SOCIAL, {"cookies": [{"name": "a", "value": "b"}, {"name": "s", "value": COOKIE, "domain": "bank.example"}]},
         "cookies[1].domain:"),
        (SOCIAL, {"cookies": [{"name": "a", "value": "b", "same_site": "Sometimes"}]}, "cookies[0].sameSite:"),
        (SOCIAL, {"username": "alice"}, "password: required when username is given"),
        (SOCIAL, {}, "cookies:"),
    ]
    for domain, kwargs, field in cases:
        with pytest.raises(stablebrowse.BadRequestError) as bad:
            client.credentials.put(user, domain, **kwargs)
        assert bad.value.status_code == 400 and bad.value.body["message"].startswith(field), bad.value.body
        assert_no_secret(bad.value, bad.value.body)
    with pytest.raises(stablebrowse.BadRequestError) as too_long:
        client.credentials.list("u" * 257)
    assert too_long.value.body["message"].startswith("endUserId:")
    assert client.credentials.list(user) == []


def test_delete_of_nothing_is_not_found(client):
    with pytest.raises(stablebrowse.NotFoundError) as missing:
        client.credentials.delete(end_user(), SOCIAL)
    assert missing.value.status_code == 404 and SOCIAL in missing.value.message


def test_a_cookie_put_through_the_sdk_reads_the_private_feed(client, llm):
    user = end_user()
    client.credentials.put(user, SOCIAL, cookies=[{"name": "session", "value": COOKIE, "http_only": True}])
    script = llm.script(read_feed)
    task = client.tasks.run(marked("What is the newest post in my feed?", script), end_user_id=user,
                            start_url=HOME, timeout=60)
    assert task.completed, (task.error_code, task.error)
    assert task.result.startswith(NEWEST_POST) and task.visited_urls == [HOME]
    assert_no_secret(task)


def test_a_login_stored_for_an_odd_end_user_id_is_used_by_its_tasks(client, llm):
    """The id in the path and the id in a task's JSON body name the same end user."""
    client.credentials.put(ODD_USER + "-feed", SOCIAL, cookies=[{"name": "session", "value": COOKIE}])
    task = client.tasks.run(marked("Newest post?", llm.script(read_feed)), end_user_id=ODD_USER + "-feed",
                            start_url=HOME, timeout=60)
    assert task.completed and task.result.startswith(NEWEST_POST), (task.error_code, task.error)


async def test_async_client_round_trip(stack, business):
    user = end_user()
    async with AsyncClient(api_key=business["apiKey"], base_url=stack.base_url) as client:
        stored = await client.credentials.put(user, SOCIAL, username="alice", password=PASSWORD)
        assert stored.kind == "password"
        assert [c.domain for c in await client.credentials.list(user)] == [SOCIAL]
        await client.credentials.delete(user, SOCIAL)
        with pytest.raises(stablebrowse.NotFoundError):
            await client.credentials.delete(user, SOCIAL)
        assert await client.credentials.list(user) == []
    assert_no_secret(stored)


def cli(env, *args, stdin=None):
    return subprocess.run([CLI, *args], env=env, input=stdin, capture_output=True, text=True, timeout=90)


def test_cli_set_list_delete(env, stack, business):
    user = end_user()
    out = cli(env, "credentials", "set", user, SOCIAL, "--username", "alice", "--password-stdin", stdin=PASSWORD + "\n")
    assert out.returncode == 0, out.stderr
    assert out.stdout.split()[:2] == [SOCIAL, "password"]
    out = cli(env, "credentials", "set", user, SOCIAL, "--cookie", f"session={COOKIE}", "--cookie", "theme=dark",
              "--username", "alice", "--password-stdin", "--json", stdin=PASSWORD)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["kind"] == "cookies+password"
    listed = cli(env, "credentials", "list", user, "--json")
    assert [(c["domain"], c["kind"]) for c in json.loads(listed.stdout)["credentials"]] == [(SOCIAL, "cookies+password")]
    plain = cli(env, "credentials", "list", user)
    assert plain.returncode == 0 and plain.stdout.split()[:2] == [SOCIAL, "cookies+password"]
    for result in (out, listed, plain):
        for secret in SECRETS:
            assert secret not in result.stdout + result.stderr
    with stablebrowse.Client(api_key=business["apiKey"], base_url=stack.base_url) as client:
        assert [c.kind for c in client.credentials.list(user)] == ["cookies+password"]  # what the CLI stored
    out = cli(env, "credentials", "delete", user, SOCIAL)
    assert out.returncode == 0 and out.stdout == "", out.stderr
    assert cli(env, "credentials", "list", user).stdout == ""
    assert json.loads(cli(env, "credentials", "list", user, "--json").stdout) == {"credentials": []}


def test_cli_errors_exit_2_without_echoing_secrets(env):
    user = end_user()
    out = cli(env, "credentials", "delete", user, SOCIAL)
    assert out.returncode == 2 and "HTTP 404" in out.stderr
    out = cli(env, "credentials", "set", user, SOCIAL, "--cookie", f"session={COOKIE}", "--cookie",
              f"s={COOKIE}; Path=/")
    assert out.returncode == 2 and "HTTP 400: cookies[1].value:" in out.stderr
    usage = [
        (["--username", "alice"], None, "--password-stdin"),  # no password
        (["--password-stdin"], PASSWORD, "--username"),
        ([], None, "--cookie"),  # nothing to store
        (["--cookie", COOKIE], None, "NAME=VALUE"),
        (["--username", "alice", "--password-stdin"], "", "empty password"),
    ]
    for extra, stdin, hint in usage:
        out = cli(env, "credentials", "set", user, SOCIAL, *extra, stdin=stdin)
        assert out.returncode == 2 and hint in out.stderr, (extra, out.stderr)
        assert not any(secret in out.stdout + out.stderr for secret in SECRETS)
    out = cli(env, "credentials", "set", user, SOCIAL, "--username", "alice", "--password", "x")
    assert out.returncode == 2 and "unrecognized arguments: --password" in out.stderr  # not --password-stdin
    assert cli(env, "credentials", "list").returncode == 2
    assert cli(env, "credentials", "list", "").returncode == 2
    out = cli({**env, "STABLEBROWSE_API_KEY": "sb_wrong"}, "credentials", "list", user)
    assert out.returncode == 2 and "HTTP 401" in out.stderr
    assert json.loads(cli(env, "credentials", "list", user, "--json").stdout) == {"credentials": []}
