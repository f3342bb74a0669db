"""The stablebrowse CLI (the installed console script) against the real stack."""
import json
import os
import pathlib
import pty
import re
import subprocess
import sys

from tests.scripted_llm import Delay, finish, finish_with_title
from tests.sdk.conftest import HN, TOP_STORY, click, marked

CLI = str(pathlib.Path(sys.executable).parent / "stablebrowse")
ANSI = re.compile(r"\x1b\[")


def cli(env, *args):
    return subprocess.run([CLI, *args], env=env, capture_output=True, text=True, timeout=90)


def test_run_piped_prints_plain_step_lines_then_the_answer(env, llm):
    script = llm.script(click("new"), finish_with_title)
    out = cli(env, "run", marked("Newest page title?", script), "--start-url", HN)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].startswith("task ") and " · session " in lines[0]
    assert [line.split()[:2] for line in lines[1:4]] == [["1.", "navigation"], ["2.", "execution"], ["3.", "finalize"]]
    assert 'Clicked "new"' in lines[2] and lines[4:] == ["New Links | Hacker News"]
    assert not ANSI.search(out.stdout + out.stderr)


def test_run_json_prints_the_record_and_steps_go_to_stderr(env, llm, tmp_path):
    script = llm.script(finish(TOP_STORY, data={"title": TOP_STORY}))
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps({"type": "object", "properties": {"title": {"type": "string"}}, "required": ["title"]}))
    out = cli(env, "run", marked("Top story?", script), "--start-url", HN, "--schema", str(schema),
              "--max-steps", "4", "--end-user", "carol", "--json")
    assert out.returncode == 0, out.stderr
    record = json.loads(out.stdout)
    assert record["status"] == "completed" and record["structured_content"] == {"title": TOP_STORY}
    assert record["endUserId"] == "carol" and record["maxSteps"] == 4
    assert "finalize" in out.stderr

    follow = cli(env, "run", marked("And again?", script), "--start-url", HN, "--session", record["sessionId"], "--json",
                 "--end-user", "carol")
    assert json.loads(follow.stdout)["sessionId"] == record["sessionId"]
    listed = cli(env, "list", "--session", record["sessionId"], "--json")
    assert [t["taskId"] for t in json.loads(listed.stdout)["tasks"]][1] == record["taskId"]
    plain = cli(env, "list", "--session", record["sessionId"])
    assert plain.returncode == 0 and record["taskId"] in plain.stdout.splitlines()[1]


def test_failed_task_exits_1(env):
    out = cli(env, "run", "Read it", "--start-url", "http://no-such-host.invalid/")
    assert out.returncode == 1 and "navigation_error" in out.stderr
    task_id = out.stdout.split()[1]
    shown = cli(env, "get", task_id)
    assert shown.returncode == 1 and "failed" in shown.stdout and "navigation_error" in shown.stdout
    assert json.loads(cli(env, "get", task_id, "--json").stdout)["errorCode"] == "navigation_error"


def test_usage_and_api_errors_exit_2(env, tmp_path):
    assert cli(env, "run").returncode == 2  # no task text
    assert cli(env, "run", "t", "--max-steps", "many").returncode == 2
    bad_schema = tmp_path / "bad.json"
    bad_schema.write_text("{not json")
    out = cli(env, "run", "t", "--schema", str(bad_schema))
    assert out.returncode == 2 and "--schema" in out.stderr
    out = cli(env, "get", "0" * 32)
    assert out.returncode == 2 and "HTTP 404" in out.stderr
    out = cli({**env, "STABLEBROWSE_API_KEY": "sb_wrong"}, "list")
    assert out.returncode == 2 and "HTTP 401" in out.stderr
    out = cli(env, "run", "  ")
    assert out.returncode == 2 and "task:" in out.stderr


def run_on_a_terminal(env, *args) -> tuple[int, str]:
    """Runs the CLI with a pseudo-terminal as stdout and stderr; returns its exit code and output."""
    controller, terminal = pty.openpty()
    proc = subprocess.Popen([CLI, *args], env={**env, "TERM": "xterm"}, stdout=terminal, stderr=terminal)
    os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # EIO: the CLI closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(controller)
    return proc.wait(timeout=30), b"".join(chunks).decode()


def test_terminal_shows_a_spinner_steps_and_colour(env, llm):
    script = llm.script(Delay(1.0, click("new")), Delay(1.0, finish_with_title))
    code, output = run_on_a_terminal(env, "run", marked("Newest?", script), "--start-url", HN)
    assert code == 0, output
    assert "working" in output and "\r\x1b[K" in output and any(f in output for f in "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏")
    assert "\x1b[1mNew Links | Hacker News\x1b[0m" in output and "\x1b[2m" in output
    visible = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", output).replace("\r", "\n")
    assert re.search(r"^\s+2\. execution\s+Clicked \"new\"$", visible, re.M)


def test_no_color_turns_colour_off_on_a_terminal(env, llm):
    script = llm.script(finish_with_title)
    code, output = run_on_a_terminal({**env, "NO_COLOR": "1"}, "run", marked("Title?", script), "--start-url", HN)
    assert code == 0, output
    assert "Hacker News" in output and not re.search(r"\x1b\[[0-9;]*m", output)
