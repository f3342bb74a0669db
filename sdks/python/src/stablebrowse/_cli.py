"""stablebrowse: run a browser task from the shell and watch its steps arrive, cancel or share
a task, and manage end users' logins for sites behind one (`stablebrowse credentials ...`).

Exit codes: 0 completed (or done), 1 failed, 2 usage or API error."""
from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
import threading
import time
from typing import Any, TextIO

from . import _cli_watch
from ._client import Client
from ._errors import StablebrowseError
from ._models import Credential, StepSummary, Task

COMPLETED, FAILED, ERROR = 0, 1, 2


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="stablebrowse", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--api-key", help="default: $STABLEBROWSE_API_KEY")
    p.add_argument("--base-url", help="default: $STABLEBROWSE_BASE_URL or http://127.0.0.1:8080")
    sub = p.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="submit a task and wait for its answer, showing each step")
    run.add_argument("task", help="what to do, in plain language")
    run.add_argument("--start-url", help="the page to start from (skips URL discovery)")
    run.add_argument("--schema", metavar="FILE", help="JSON Schema file for a structured answer")
    run.add_argument("--max-steps", type=int, metavar="N")
    run.add_argument("--session", metavar="ID", help="continue this session")
    run.add_argument("--end-user", metavar="ID", default=os.environ.get("STABLEBROWSE_END_USER_ID", "cli"),
                     help="who the task runs for (default: $STABLEBROWSE_END_USER_ID or 'cli')")
    run.add_argument("--timeout", type=float, default=300.0, metavar="SECONDS", help="stop waiting after this long")
    run.add_argument("--json", action="store_true", help="print the final task record as JSON")

    get = sub.add_parser("get", help="show one task")
    get.add_argument("task_id")
    get.add_argument("--json", action="store_true")

    lst = sub.add_parser("list", help="list tasks, newest first")
    lst.add_argument("--session", metavar="ID")
    lst.add_argument("--end-user", metavar="ID")
    lst.add_argument("--page-size", type=int, metavar="N")
    lst.add_argument("--page-token", metavar="TOKEN")
    lst.add_argument("--json", action="store_true")

    _cli_watch.add_parsers(sub)

    mcp = sub.add_parser("mcp", help="serve the API to MCP clients (stdio; needs stablebrowse[mcp])",
                         description="A Model Context Protocol server with the tools browse, get_task, list_tasks "
                                     "and cancel_task; tasks run for $STABLEBROWSE_END_USER_ID (default 'mcp').")
    mcp.add_argument("--http", type=int, metavar="PORT", help="serve streamable HTTP on PORT (path /mcp) instead of stdio")
    mcp.add_argument("--host", default="127.0.0.1", help="with --http: the address to listen on (default 127.0.0.1)")

    creds = sub.add_parser("credentials", help="an end user's logins for sites behind one (secrets never shown)")
    creds_sub = creds.add_subparsers(dest="credentials_command", required=True)
    put = creds_sub.add_parser(
        "set", help="store (replace) an end user's login for a domain", allow_abbrev=False,
        description="Replaces END_USER's credential for DOMAIN (and its subdomains): cookies, or a username "
                    "with the password read from stdin (never from the command line), or both.")
    put.add_argument("end_user", metavar="END_USER", help="your id for the end user (any text)")
    put.add_argument("domain", metavar="DOMAIN", help="a host name such as social.example")
    put.add_argument("--cookie", action="append", metavar="NAME=VALUE", default=[],
                     help="a cookie for DOMAIN, path / (repeat for more; its value is visible in the process list)")
    put.add_argument("--username", metavar="U")
    put.add_argument("--password-stdin", action="store_true",
                     help="read the password from stdin (its first line; prompted without echo on a terminal)")
    put.add_argument("--json", action="store_true")
    shown = creds_sub.add_parser("list", help="list an end user's stored logins: domain, kind, updated")
    shown.add_argument("end_user", metavar="END_USER")
    shown.add_argument("--json", action="store_true")
    gone = creds_sub.add_parser("delete", help="delete an end user's login for a domain")
    gone.add_argument("end_user", metavar="END_USER")
    gone.add_argument("domain", metavar="DOMAIN")
    return p


class Style:
    """ANSI styling only on a terminal, and never when NO_COLOR is set."""

    def __init__(self, stream: TextIO):
        self.on = stream.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"

    def __call__(self, text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.on else text


class Live:
    """Step lines as they arrive; on a terminal, a spinner line below them that keeps time."""

    FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.style = Style(stream)
        self.spin = stream.isatty() and os.environ.get("TERM") != "dumb"
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        self.frames = self.FRAMES if encoding == "utf8" else "|/-\\"
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.started = time.monotonic()
        self.steps = 0
        self.thread = threading.Thread(target=self._spin, daemon=True)

    def __enter__(self) -> Live:
        if self.spin:
            self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stopped.set()
        if self.spin:
            self.thread.join()
            with self.lock:
                self.stream.write("\r\x1b[K")
                self.stream.flush()

    def line(self, text: str) -> None:
        with self.lock:
            self.stream.write(("\r\x1b[K" if self.spin else "") + text + "\n")
            self.stream.flush()

    def step(self, step: StepSummary) -> None:
        self.steps += 1
        self.line(step_line(step, self.style))

    def _spin(self) -> None:
        frame = 0
        while not self.stopped.wait(0.1):
            elapsed = time.monotonic() - self.started
            label = f"{self.frames[frame % len(self.frames)]} working · {self.steps} step{'s' * (self.steps != 1)} · {elapsed:.0f}s"
            with self.lock:
                self.stream.write("\r\x1b[K" + self.style(label, "2"))
                self.stream.flush()
            frame += 1


def step_line(step: StepSummary, style: Style) -> str:
    mark = style(" (failed)", "31") if step.success is False else ""
    return f"{step.n:>3}. {style(f'{step.type:<10}', '2')} {step.msg}{mark}"


def answer_text(task: Task) -> str:
    parts = [task.result or ""]
    if task.structured_content is not None:
        parts.append(json.dumps(task.structured_content, indent=2, ensure_ascii=False))
    return "\n".join(p for p in parts if p)


def print_json(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False))


def exit_code(task: Task) -> int:
    return FAILED if task.failed else COMPLETED


def read_schema(path: str | None) -> dict | None:
    if path is None:
        return None
    try:
        with open(path, encoding="utf-8") as f:
            schema = json.load(f)
    except (OSError, ValueError) as exc:
        raise StablebrowseError(f"--schema {path}: {exc}") from exc
    if not isinstance(schema, dict):
        raise StablebrowseError(f"--schema {path}: a JSON Schema is an object")
    return schema


def command_run(client: Client, args: argparse.Namespace) -> int:
    schema = read_schema(args.schema)
    # Steps go where the answer goes, unless stdout is reserved for the JSON record.
    live_stream = sys.stderr if args.json else sys.stdout
    submitted = client.tasks.submit(args.task, end_user_id=args.end_user, session_id=args.session,
                                    start_url=args.start_url, schema=schema, max_steps=args.max_steps)
    with Live(live_stream) as live:
        live.line(live.style(f"task {submitted.task_id} · session {submitted.session_id}", "2"))
        task = _cli_watch.follow(client, submitted.task_id, live, args.timeout)
    if args.json:
        print_json(task.to_dict())
    elif task.completed:
        print(Style(sys.stdout)(answer_text(task), "1"))
    if task.failed:
        print(f"stablebrowse: task failed ({task.error_code}): {task.error}", file=sys.stderr)
    return exit_code(task)


def command_get(client: Client, args: argparse.Namespace) -> int:
    task = client.tasks.get(args.task_id)
    if args.json:
        print_json(task.to_dict())
        return exit_code(task)
    style = Style(sys.stdout)
    rows = [("task", task.task_id), ("status", task.status), ("session", task.session_id),
            ("end user", task.end_user_id), ("prompt", task.task), ("start url", task.start_url)]
    for name, value in rows:
        if value:
            print(f"{name:<10} {value}")
    for step in task.step_summaries:
        print(step_line(step, style))
    if task.completed:
        print(answer_text(task))
    if task.failed:
        print(f"{'error':<10} ({task.error_code}) {task.error}")
    return exit_code(task)


def command_list(client: Client, args: argparse.Namespace) -> int:
    page = client.tasks.list(session_id=args.session, end_user_id=args.end_user, page_size=args.page_size,
                             page_token=args.page_token)
    if args.json:
        print_json({"tasks": [t.to_dict() for t in page], **({"nextPageToken": page.next_page_token}
                                                             if page.next_page_token else {})})
        return COMPLETED
    for task in page:
        created = task.created_at.strftime("%Y-%m-%d %H:%M:%S") if task.created_at else ""
        prompt = (task.task or "").replace("\n", " ")
        print(f"{task.task_id}  {task.status:<9}  {created}  {prompt[:60]}")
    if page.next_page_token:
        print(f"more: stablebrowse list --page-token {page.next_page_token}", file=sys.stderr)
    return COMPLETED


class UsageError(StablebrowseError):
    """A command line the API would refuse anyway; exits 2 without a request."""


def parse_cookie(text: str) -> dict:
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise UsageError("--cookie: expected NAME=VALUE")  # never echo the argument: it holds the value
    return {"name": name, "value": value}


def read_password() -> str:
    """The first line of stdin without its line ending; on a terminal, a prompt without echo."""
    if sys.stdin.isatty():
        return getpass.getpass("password: ")
    return sys.stdin.readline().rstrip("\r\n")


def credential_line(credential: Credential) -> str:
    updated = credential.updated_at.strftime("%Y-%m-%d %H:%M:%S") if credential.updated_at else ""
    return f"{credential.domain}  {credential.kind:<16}  {updated}"


def command_credentials_set(client: Client, args: argparse.Namespace) -> int:
    if args.password_stdin != (args.username is not None):
        raise UsageError("--username and --password-stdin go together")
    if not args.cookie and args.username is None:
        raise UsageError("give --cookie NAME=VALUE, or --username U --password-stdin, or both")
    cookies = [parse_cookie(c) for c in args.cookie] or None
    password = None
    if args.password_stdin:
        password = read_password()
        if not password:
            raise UsageError("--password-stdin: stdin gave an empty password")
    stored = client.credentials.put(args.end_user, args.domain, cookies=cookies, username=args.username,
                                    password=password)
    if args.json:
        print_json(stored.to_dict())
    else:
        print(credential_line(stored))
    return COMPLETED


def command_credentials_list(client: Client, args: argparse.Namespace) -> int:
    stored = client.credentials.list(args.end_user)
    if args.json:
        print_json({"credentials": [c.to_dict() for c in stored]})
    for credential in [] if args.json else stored:
        print(credential_line(credential))
    return COMPLETED


def command_credentials_delete(client: Client, args: argparse.Namespace) -> int:
    client.credentials.delete(args.end_user, args.domain)
    return COMPLETED


COMMANDS = {"run": command_run, "get": command_get, "list": command_list, **_cli_watch.COMMANDS}
CREDENTIAL_COMMANDS = {"set": command_credentials_set, "list": command_credentials_list,
                       "delete": command_credentials_delete}


def command(args: argparse.Namespace):
    if args.command == "credentials":
        for name in ("end_user", "domain"):
            if getattr(args, name, None) == "":
                raise UsageError(f"{name.upper()}: must not be empty")
        return CREDENTIAL_COMMANDS[args.credentials_command]
    return COMMANDS[args.command]


def command_mcp(args: argparse.Namespace) -> int:
    try:
        import anyio

        from ._mcp import serve
    except ImportError as exc:
        raise StablebrowseError(f"the MCP server needs the mcp extra: pip install 'stablebrowse[mcp]' ({exc})") from exc
    anyio.run(lambda: serve(args.http, args.host, api_key=args.api_key, base_url=args.base_url))
    return COMPLETED


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        if args.command == "mcp":
            return command_mcp(args)
        with Client(api_key=args.api_key, base_url=args.base_url) as client:
            return command(args)(client, args)
    except StablebrowseError as exc:
        print(f"stablebrowse: {exc}", file=sys.stderr)
        return ERROR
    except KeyboardInterrupt:
        print("stablebrowse: interrupted (the task keeps running on the server)", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
