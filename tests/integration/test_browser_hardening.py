"""Hardening of the browser worker through the real stack: egress to addresses that are not
globally routable (shared space, IPv6 wrappings), Chromium's environment as its renderers
see it, URLs off the web, and saved logins with preference cookies and structured answers."""
import os
import pathlib
import re

import pytest

from tests.conftest import wait_terminal
from tests.scripted_llm import finish, finish_with_title

SOCIAL_HOME = "https://social.example/home"
COOKIE = "alice-7f3c2a9e4b1d8c6f"  # alice's fixed session on the replica
NEWEST_POST = "Finally finished the bookshelf."


def submit(api, script, task="What is the title of this page?", **body) -> dict:
    response = api.post("/v1/tasks", json={"endUserId": "alice", "task": f"{task} ({script.marker})", **body})
    assert response.status_code == 201, response.text
    return wait_terminal(api, response.json()["taskId"])


@pytest.mark.parametrize("url", ["http://100.64.1.1/", "http://[2002:a9fe:a9fe::]/latest/meta-data/",
                                 "http://[::ffff:10.0.0.1]/", "http://[64:ff9b::a9fe:a9fe]/"])
def test_shared_space_and_wrapped_private_addresses_are_blocked(api, llm, url):
    record = submit(api, llm.script(finish("x")), startUrl=url)
    assert record["status"] == "failed" and record["errorCode"] == "blocked_address", record
    assert "is not a globally routable address" in record["error"], record


def test_a_redirect_into_the_shared_address_space_is_refused_by_the_egress_proxy(api, llm, local_site):
    site = local_site(lambda path: (b"", [("Location", "http://100.64.1.1/internal")]))
    record = submit(api, llm.script(finish("x")), startUrl=site + "/")
    assert record["errorCode"] == "blocked_address" and "100.64.1.1" in record["error"], record


# --- Chromium's environment, read from /proc while a task's page is open ---

CHROMIUM_MAY_SEE = {"PATH", "HOME", "TMPDIR", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "TZ", "FONTCONFIG_FILE",
                    "FONTCONFIG_PATH",
                    # set by Debian's /usr/bin/chromium wrapper script itself (its shell, /etc/chromium.d)
                    "CHROME_WRAPPER", "CHROME_DESKTOP", "CHROME_VERSION_EXTRA", "CHROMIUM_FLAGS", "PWD",
                    "GOOGLE_API_KEY", "GOOGLE_DEFAULT_CLIENT_ID", "GOOGLE_DEFAULT_CLIENT_SECRET"}


def processes() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, command line) of every process still there."""
    found = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = pathlib.Path(f"/proc/{entry}/stat").read_text()
                cmdline = pathlib.Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            found[int(entry)] = (int(stat.rpartition(")")[2].split()[1]), cmdline)
    return found


def raw_environ(pid: int) -> bytes:
    return pathlib.Path(f"/proc/{pid}/environ").read_bytes()


def environ(pid: int) -> dict[str, str]:
    return dict(item.decode(errors="replace").partition("=")[::2] for item in raw_environ(pid).split(b"\0") if item)


def chromium_of_worker(browser_port: int) -> dict[int, str]:
    """pid -> command line of the Chromium processes descended from this stack's browser worker."""
    procs = processes()
    workers = [pid for pid, (_, cmd) in procs.items() if "services.browser" in cmd
               and environ(pid).get("STABLEBROWSE_BROWSER_LISTEN", "").endswith(f":{browser_port}")]
    assert len(workers) == 1, workers

    def descends(pid: int) -> bool:
        while pid > 1:
            pid = procs.get(pid, (0, ""))[0]
            if pid == workers[0]:
                return True
        return False
    return {pid: cmd for pid, (_, cmd) in procs.items() if "chromium" in cmd.split(" ")[0] and descends(pid)}


def test_renderers_inherit_no_secret_of_the_worker(stack, api, llm, local_site):
    """Renderers overwrite their environ area with their process title (Chromium's
    setproctitle), so theirs is searched as bytes; the browser process's is read as variables."""
    seen: dict[int, tuple[str, bytes]] = {}

    def look(prompt):  # the model is asked while the task's page is open in a renderer
        seen.update({pid: (cmd, raw_environ(pid)) for pid, cmd in chromium_of_worker(stack.ports["browser_port"]).items()})
        return finish_with_title(prompt)
    site = local_site(lambda path: (b"<title>Quiet page</title><p>nothing here</p>", []))
    record = submit(api, llm.script(look), startUrl=site + "/")
    assert record["status"] == "completed" and record["result"] == "Quiet page", record
    renderers = [pid for pid, (cmd, _) in seen.items() if "--type=renderer" in cmd]
    assert renderers, "no renderer of the worker's Chromium was found"
    needles = [b"STABLEBROWSE_", b"MONGODB_URI", b"KAFKA_", b"PYTHONPATH", stack.mongodb_uri.encode(),
               (stack.state_dir / "secret.key").read_text().strip().encode()]
    for pid, (cmd, raw) in seen.items():
        assert not [n for n in needles if n in raw], (pid, cmd[:80])
    [browser] = [pid for pid, (cmd, _) in seen.items() if "--type=" not in cmd and "--remote-debugging-pipe" in cmd]
    variables = dict(item.decode().partition("=")[::2] for item in seen[browser][1].split(b"\0") if item)
    assert set(variables) <= CHROMIUM_MAY_SEE, sorted(set(variables) - CHROMIUM_MAY_SEE)
    assert "PATH" in variables and "TMPDIR" in variables


# --- URLs off the web ---

@pytest.mark.parametrize("url", ["chrome://version/", "view-source:https://news.ycombinator.com/",
                                 "file:///etc/passwd", "javascript:alert(1)"])
def test_navigate_opens_only_http_urls(api, llm, local_site, url):
    site = local_site(lambda path: (b"<title>Start</title><p>start</p>", []))
    script = llm.script({"action": "navigate", "url": url}, finish_with_title)
    record = submit(api, script, startUrl=site + "/")
    assert record["status"] == "completed" and record["result"] == "Start", record
    refused = {k: v for k, v in record["stepSummaries"][1].items() if k not in ("hasScreenshot", "at")}  # the page it stayed on
    assert refused == {"n": 2, "type": "navigation", "success": False,
                       "msg": "Could not navigate: only http(s) URLs can be opened"}
    assert "only http(s) URLs can be opened" in script.prompts[1]
    assert record["visitedUrls"] == [site + "/"]


def link_ref(prompt: str, name: str) -> str:
    return re.search(r'\[(e\d+)\] link "' + re.escape(name) + '"', prompt).group(1)


@pytest.mark.parametrize("href, landed", [("about:blank", "about"), ("chrome://settings/", None)])
def test_a_click_that_leads_off_the_web_is_stopped(api, llm, local_site, href, landed):
    page = f'<title>Start</title><a href="{href}">elsewhere</a>'.encode()
    site = local_site(lambda path: (page, []))
    script = llm.script(lambda p: {"action": "click", "ref": link_ref(p, "elsewhere")}, finish_with_title)
    record = submit(api, script, startUrl=site + "/")
    assert record["status"] == "completed" and record["result"] == "Start", record
    assert f"Current page: {site}/ (Start)" in script.prompts[1]
    if landed:  # Chromium let the page go there: the agent brought it back and said so
        assert record["stepSummaries"][1]["msg"] == f"Could not click: it led to a {landed}: page, which is not opened"
    assert all(url.startswith("http") for url in record["visitedUrls"]), record["visitedUrls"]


# --- saved logins: preference cookies and structured answers ---

FEED_SCHEMA = {"type": "object", "properties": {"newest": {"type": "string"}, "signedIn": {"type": "boolean"},
                                                "note": {"type": "string"}},
               "required": ["newest", "signedIn", "note"]}


def test_a_preference_cookie_true_neither_breaks_the_answer_nor_redacts_true(api, llm):
    cookies = [{"name": "session", "value": COOKIE, "httpOnly": True}, {"name": "consent", "value": "true"}]
    assert api.put("/v1/end-users/carol/credentials/social.example", json={"cookies": cookies}).status_code == 200

    def answer(prompt):
        post = re.search(r"(Finally finished the bookshelf\.[^·\n]*[^·\s])", prompt).group(1)
        return finish(f"true: {post}", {"newest": post, "signedIn": True, "note": f"true, cookie {COOKIE}"})
    llm.forbid(COOKIE)
    script = llm.script(answer)
    response = api.post("/v1/tasks", json={"endUserId": "carol", "task": f"Newest post? ({script.marker})",
                                           "startUrl": SOCIAL_HOME, "schema": FEED_SCHEMA})
    record = wait_terminal(api, response.json()["taskId"])
    assert record["status"] == "completed", (record.get("error"), record.get("stepSummaries"))
    assert record["result"].startswith(f"true: {NEWEST_POST}")
    assert record["structured_content"]["signedIn"] is True
    assert record["structured_content"]["note"] == "true, cookie [redacted]"
    assert llm.leaks == []
