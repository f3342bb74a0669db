"""The one allowed mock: an OpenAI-compatible chat endpoint that answers from per-test scripts.

A test registers a script under a unique marker that it puts in its task text; every
request whose prompt contains the marker gets the script's next reply. Each reply is a
dict (sent as JSON), a str (sent raw, e.g. malformed JSON), a callable(prompt) -> dict|str,
Hold(reply) (answered only once the test calls release(); `reached` tells it the model was
asked), Delay(seconds, reply), or Usage(prompt_tokens, completion_tokens, reply) to report those counts. Every request is recorded so tests can assert what the agent sent.
Strings passed to `forbid` (secrets) must never reach the model: a request containing one is
refused and kept in `leaks`.
The agent's cheap first call for a question (services/browser/agent/extract.py) is answered by
the script's next reply only when that is an Extract(answer); otherwise the scripted model finds
no answer in those lines ({"answer": ""}) and the script is not advanced. Such requests are kept
in `extractions`, apart from `prompts` and `requests`.
"""
import dataclasses
import http.server
import json
import re
import threading
import time
import uuid

from services.browser.agent.prompt import EXTRACT


@dataclasses.dataclass
class Delay:
    seconds: float
    reply: object


class Hold:
    """A reply the model gives only once the test releases it (or after `limit` seconds, so a
    forgotten hold cannot hang the server). `reached` is set as soon as the model is asked."""

    def __init__(self, reply: object, limit: float = 120.0):
        self.reply = reply
        self.limit = limit
        self.reached = threading.Event()
        self.released = threading.Event()

    def release(self) -> None:
        self.released.set()

    def wait_reached(self, timeout: float = 60) -> None:
        assert self.reached.wait(timeout), "the model was never asked for the held reply"


@dataclasses.dataclass
class Extract:
    """The answer to the agent's cheap first call for a question (the lines near what it names)."""
    answer: str


@dataclasses.dataclass
class Usage:
    """A reply whose response reports these token counts (instead of ~1 token per 4 characters)."""
    prompt_tokens: int
    completion_tokens: int
    reply: object


class Script:
    def __init__(self, marker: str, replies: list):
        self.marker = marker
        self.replies = list(replies)
        self.prompts: list[str] = []
        self.requests: list[dict] = []
        self.extractions: list[str] = []

    def next_reply(self, prompt: str, extraction: bool = False):
        if extraction:
            self.extractions.append(prompt)
            if not self.replies or not isinstance(self.replies[0], Extract):
                return {"answer": ""}
            return {"answer": self.replies.pop(0).answer}
        self.prompts.append(prompt)
        if not self.replies:
            return None
        return self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]


class ScriptedLLM:
    def __init__(self, port: int = 0):
        self.scripts: dict[str, Script] = {}
        self.lock = threading.Lock()
        self.unmatched: list[str] = []
        self.forbidden: set[str] = set()
        self.leaks: list[str] = []
        self.refused_formats: set[str] = set()  # response_format types answered 400, as endpoints without them do
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                status, payload = server.answer(body)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.http = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.base_url = f"http://127.0.0.1:{self.http.server_address[1]}/v1"
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    def script(self, *replies, marker: str | None = None) -> Script:
        """Replies for prompts that contain `marker` (by default a new unique one)."""
        marker = marker or f"case-{uuid.uuid4().hex[:10]}"
        script = Script(marker, list(replies))
        with self.lock:
            self.scripts[marker] = script
        return script

    def forbid(self, *secrets: str) -> None:
        with self.lock:
            self.forbidden.update(secrets)

    def drop(self, script: Script) -> None:
        with self.lock:
            self.scripts.pop(script.marker, None)

    def answer(self, body: dict) -> tuple[int, dict]:
        prompt = "\n".join(m["content"] for m in body["messages"])
        if body.get("response_format", {}).get("type") in self.refused_formats:
            return 400, {"error": {"message": f"response_format {body['response_format']['type']} is not supported"}}
        with self.lock:
            leaked = [s for s in self.forbidden if s in prompt]
            if leaked:
                self.leaks.append(prompt)
                return 400, {"error": {"message": "a secret reached the model"}}
            # The task's own marker comes first; markers of earlier turns may follow in previousContext.
            found = [(prompt.find(m), s) for m, s in self.scripts.items() if m in prompt]
            script = min(found, key=lambda pair: pair[0])[1] if found else None
            extraction = body["messages"][0]["content"] == EXTRACT
            reply = script.next_reply(prompt, extraction) if script else None
            if script and not extraction:
                script.requests.append(body)
        if script is None or reply is None:
            self.unmatched.append(prompt[:300])
            return 500, {"error": {"message": "no scripted reply for this prompt"}}
        if isinstance(reply, Hold):
            reply.reached.set()
            reply.released.wait(reply.limit)
            reply = reply.reply
        if isinstance(reply, Delay):
            time.sleep(reply.seconds)
            reply = reply.reply
        counts = reply if isinstance(reply, Usage) else None
        if counts:
            reply = counts.reply
        if callable(reply):
            reply = reply(prompt)
        content = reply if isinstance(reply, str) else json.dumps(reply)
        used = (counts.prompt_tokens, counts.completion_tokens) if counts else (len(prompt) // 4, max(1, len(content) // 4))
        return 200, {
            "id": "chatcmpl-scripted", "object": "chat.completion", "created": int(time.time()), "model": body["model"],
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": used[0], "completion_tokens": used[1], "total_tokens": sum(used)},
        }

    def close(self) -> None:
        self.http.shutdown()


def finish(answer: str, data=None) -> dict:
    reply = {"action": "finish", "answer": answer}
    if data is not None:
        reply["data"] = data
    return reply


def page_title(prompt: str) -> str:
    """The title of the page the agent is on, as its prompt shows it."""
    return re.search(r"^Current page: \S+ \((.*)\)$", prompt, re.M).group(1)


def finish_with_title(prompt: str) -> dict:
    return finish(page_title(prompt))
