"""Client and AsyncClient: one HTTP call per method, retries in one place (`_send`),
`tasks.run` = submit, then poll with backoff until the task is completed or failed, and
`tasks.stream`/`cancel`/`share` = watching and control (_watch.py),
`credentials` = the end users' logins (put, list, delete; secrets go in and never come out);
`webhooks` = the business's signed webhook (_webhooks.py)."""
from __future__ import annotations

import asyncio
import inspect
import os
import time
import uuid
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import quote

import httpx

from ._errors import APIConnectionError, APITimeoutError, StablebrowseError, TaskFailedError, TaskTimeoutError, status_error
from ._models import Cookie, Credential, StepSummary, Task, TaskPage, credential_body
from ._retry import IDEMPOTENT, OnRetry, RetryEvent, RetryPolicy, report
from ._watch import AsyncTaskControl, TaskControl
from ._watch import task_path as _task_path
from ._webhooks import AsyncWebhooks, Webhooks

__version__ = "0.1.0"
DEFAULT_BASE_URL = "http://127.0.0.1:8080"
OnStep = Callable[[StepSummary], Any]


def _config(api_key: str | None, base_url: str | None) -> tuple[str, str]:
    api_key = api_key or os.environ.get("STABLEBROWSE_API_KEY")
    if not api_key:
        raise StablebrowseError("no API key: pass api_key=... or set STABLEBROWSE_API_KEY")
    base_url = base_url or os.environ.get("STABLEBROWSE_BASE_URL") or DEFAULT_BASE_URL
    return api_key, base_url.rstrip("/")


def _headers(api_key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_key}", "User-Agent": f"stablebrowse-python/{__version__}"}


def _request_headers(headers: dict[str, str], idempotency_key: str | None) -> dict[str, str]:
    return headers if idempotency_key is None else {**headers, "Idempotency-Key": idempotency_key}


def _new_key(idempotency_key: str | None) -> str:
    """The caller's key, or a fresh one: every submission has one, reused by its retries."""
    return idempotency_key if idempotency_key is not None else str(uuid.uuid4())


def _submit_body(task: str, end_user_id: str, session_id: str | None, start_url: str | None, schema: dict | None,
                 max_steps: int | None, include_html_dump: bool | None, require_grounded: bool | None = None) -> dict:
    body: dict[str, Any] = {"endUserId": end_user_id, "task": task}
    optional = {"sessionId": session_id, "startUrl": start_url, "schema": schema, "maxSteps": max_steps,
                "include_html_dump": include_html_dump, "requireGrounded": require_grounded}
    body.update({name: value for name, value in optional.items() if value is not None})
    return body


def _list_params(session_id: str | None, end_user_id: str | None, page_size: int | None, page_token: str | None) -> dict:
    params = {"sessionId": session_id, "endUserId": end_user_id, "pageSize": page_size, "pageToken": page_token}
    return {name: value for name, value in params.items() if value is not None}


def _segment(value: str) -> str:
    """One path segment, percent-encoded whole; "." and ".." too, which URL normalisation
    (httpx's, a proxy's) would otherwise resolve as dot segments."""
    return "%2E" * len(value) if value in (".", "..") else quote(value, safe="")


def _credentials_path(end_user_id: str, domain: str | None = None) -> str:
    """An end user id may hold any character: it is one segment of the path."""
    if not end_user_id:
        raise ValueError("end_user_id must be non-empty")
    path = f"/v1/end-users/{_segment(end_user_id)}/credentials"
    if domain is None:
        return path
    if not domain:
        raise ValueError("domain must be non-empty")
    return f"{path}/{_segment(domain)}"


def _credentials(data: Any) -> list[Credential]:
    items = data.get("credentials") if isinstance(data, dict) else None  # absent when empty (proto3 JSON)
    return [Credential.from_dict(c) for c in items or []]


def _decode(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return response.text


def _result(response: httpx.Response) -> Any:
    body = _decode(response)
    if response.status_code >= 400:
        raise status_error(response.status_code, body, dict(response.headers))
    return body


def _connection_error(method: str, path: str, error: httpx.TransportError) -> APIConnectionError:
    cls = APITimeoutError if isinstance(error, httpx.TimeoutException) else APIConnectionError
    return cls(f"{method} {path}: {type(error).__name__}: {error}")


class _Progress:
    """run()'s bookkeeping: which steps were already handed to on_step, the next poll interval, the deadline."""

    def __init__(self, on_step: OnStep | None, timeout: float, poll_interval: float, max_poll_interval: float):
        self.on_step = on_step
        self.deadline = time.monotonic() + timeout
        self.timeout = timeout
        self.interval = poll_interval
        self.max_interval = max_poll_interval
        self.seen = 0

    def new_steps(self, task: Task) -> list[StepSummary]:
        if len(task.step_summaries) < self.seen:  # a rerun after a lost worker starts its steps again
            self.seen = 0
        fresh = task.step_summaries[self.seen:]
        self.seen = len(task.step_summaries)
        return fresh if self.on_step else []

    def next_wait(self, task: Task) -> float:
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise TaskTimeoutError(f"task {task.task_id} still {task.status} after {self.timeout:g}s", task)
        wait = min(self.interval, remaining)
        self.interval = min(self.max_interval, self.interval * 1.5)
        return wait


def _finish(task: Task, raise_on_failure: bool) -> Task:
    if task.failed and raise_on_failure:
        raise TaskFailedError(task)
    return task


class Client:
    """Synchronous client. `api_key`/`base_url` default to STABLEBROWSE_API_KEY / STABLEBROWSE_BASE_URL.

    Requests refused with 429 or 503 (or 409 with Retry-After: the same Idempotency-Key still in
    progress), and connection failures, are retried up to `max_retries`
    times, waiting Retry-After when the server sends it; `on_retry` sees each retry."""

    def __init__(self, api_key: str | None = None, base_url: str | None = None, *, timeout: float = 30.0,
                 max_retries: int = 2, on_retry: OnRetry | None = None, http_client: httpx.Client | None = None):
        api_key, self.base_url = _config(api_key, base_url)
        self.retry = RetryPolicy(max_retries=max_retries)
        self.on_retry = on_retry
        self._owns_http = http_client is None  # a client passed in is the caller's to close
        self._http = http_client or httpx.Client(timeout=timeout)
        self._headers = _headers(api_key)
        self.tasks = Tasks(self)
        self.credentials = Credentials(self)
        self.webhooks = Webhooks(self)

    def _send(self, method: str, path: str, *, gone_is_done: bool = False, idempotency_key: str | None = None,
              repeatable: bool = False, **kwargs: Any) -> Any:
        """`gone_is_done` (DELETE): a 404 to a resent request means an earlier attempt did it.
        `idempotency_key` (POST): sent on every attempt, which makes the POST safe to resend;
        `repeatable` (a POST such as cancel): doing it twice is doing it once."""
        headers = _request_headers(self._headers, idempotency_key)
        repeatable = repeatable or method in IDEMPOTENT or idempotency_key is not None
        attempt = 0
        while True:
            attempt += 1
            try:
                response = self._http.request(method, self.base_url + path, headers=headers, **kwargs)
            except httpx.TransportError as error:
                wait = self.retry.wait_for_error(attempt, repeatable, error)
                if wait is None:
                    raise _connection_error(method, path, error) from error
                report(RetryEvent(method, path, attempt, wait, error=error), self.on_retry)
            else:
                if gone_is_done and attempt > 1 and response.status_code == 404:
                    return {}
                wait = self.retry.wait_for_status(attempt, response)
                if wait is None:
                    return _result(response)
                report(RetryEvent(method, path, attempt, wait, status_code=response.status_code), self.on_retry)
            time.sleep(wait)

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


class Tasks(TaskControl):
    """`client.tasks`: submit, get, list, wait (poll until done) and run (submit + wait); stream,
    cancel and share come from TaskControl (_watch.py)."""

    def __init__(self, client: Client):
        self._client = client

    def submit(self, task: str, *, end_user_id: str, session_id: str | None = None, start_url: str | None = None,
               schema: dict | None = None, max_steps: int | None = None,
               include_html_dump: bool | None = None, idempotency_key: str | None = None,
               require_grounded: bool | None = None) -> Task:
        """POST /v1/tasks. Returns the new task (taskId, sessionId, status `pending`, createdAt).

        `idempotency_key` (default: a new UUID) is sent on every attempt: within 24 h the same key
        and body answer the same task, so a retry after a lost answer creates no second task.
        `require_grounded`: an answer whose facts are on no visited page fails `ungrounded`."""
        body = _submit_body(task, end_user_id, session_id, start_url, schema, max_steps, include_html_dump,
                            require_grounded)
        return Task.from_dict(self._client._send("POST", "/v1/tasks", json=body,
                                                 idempotency_key=_new_key(idempotency_key)))

    def get(self, task_id: str) -> Task:
        return Task.from_dict(self._client._send("GET", _task_path(task_id)))

    def list(self, *, session_id: str | None = None, end_user_id: str | None = None, page_size: int | None = None,
             page_token: str | None = None) -> TaskPage:
        params = _list_params(session_id, end_user_id, page_size, page_token)
        return TaskPage.from_dict(self._client._send("GET", "/v1/tasks", params=params))

    def run(self, task: str, *, end_user_id: str, session_id: str | None = None, start_url: str | None = None,
            schema: dict | None = None, max_steps: int | None = None, include_html_dump: bool | None = None,
            timeout: float = 300.0, on_step: OnStep | None = None, raise_on_failure: bool = False,
            poll_interval: float = 0.25, max_poll_interval: float = 2.0, idempotency_key: str | None = None,
            require_grounded: bool | None = None) -> Task:
        """Submits, then waits (see `wait`) until the task is completed or failed, and returns it."""
        submitted = self.submit(task, end_user_id=end_user_id, session_id=session_id, start_url=start_url,
                                schema=schema, max_steps=max_steps, include_html_dump=include_html_dump,
                                idempotency_key=idempotency_key, require_grounded=require_grounded)
        return self.wait(submitted.task_id, timeout=timeout, on_step=on_step, raise_on_failure=raise_on_failure,
                         poll_interval=poll_interval, max_poll_interval=max_poll_interval)

    def wait(self, task_id: str, *, timeout: float = 300.0, on_step: OnStep | None = None,
             raise_on_failure: bool = False, poll_interval: float = 0.25, max_poll_interval: float = 2.0) -> Task:
        """Polls with backoff until the task is completed or failed, and returns it.

        A failed task is returned (see `error_code`) unless `raise_on_failure`. `on_step` gets each
        new step as it appears. After `timeout` seconds, TaskTimeoutError (the task keeps running)."""
        progress = _Progress(on_step, timeout, poll_interval, max_poll_interval)
        while True:
            current = self.get(task_id)
            for step in progress.new_steps(current):
                on_step(step)
            if current.done:
                return _finish(current, raise_on_failure)
            time.sleep(progress.next_wait(current))


class Credentials:
    """`client.credentials`: an end user's logins for sites behind one (the vault). Secrets go in
    with `put` and never come out: records say domain, kind and when, nothing else."""

    def __init__(self, client: Client):
        self._client = client

    def put(self, end_user_id: str, domain: str, *, cookies: Sequence[Cookie] | None = None,
            username: str | None = None, password: str | None = None) -> Credential:
        """PUT: creates or replaces the end user's credential for `domain` (and its subdomains):
        cookies, or a username and password, or both. Returns what is stored (no secret)."""
        body = credential_body(cookies, username, password)
        return Credential.from_dict(self._client._send("PUT", _credentials_path(end_user_id, domain), json=body))

    def list(self, end_user_id: str) -> list[Credential]:
        return _credentials(self._client._send("GET", _credentials_path(end_user_id)))

    def delete(self, end_user_id: str, domain: str) -> None:
        """NotFoundError when there is none (unless a resent DELETE finds an earlier attempt did it)."""
        self._client._send("DELETE", _credentials_path(end_user_id, domain), gone_is_done=True)


class AsyncClient:
    """The same API with `await`: `async with AsyncClient() as client: await client.tasks.run(...)`."""

    def __init__(self, api_key: str | None = None, base_url: str | None = None, *, timeout: float = 30.0,
                 max_retries: int = 2, on_retry: OnRetry | None = None,
                 http_client: httpx.AsyncClient | None = None):
        api_key, self.base_url = _config(api_key, base_url)
        self.retry = RetryPolicy(max_retries=max_retries)
        self.on_retry = on_retry
        self._owns_http = http_client is None
        self._http = http_client or httpx.AsyncClient(timeout=timeout)
        self._headers = _headers(api_key)
        self.tasks = AsyncTasks(self)
        self.credentials = AsyncCredentials(self)
        self.webhooks = AsyncWebhooks(self)

    async def _send(self, method: str, path: str, *, gone_is_done: bool = False, idempotency_key: str | None = None,
              repeatable: bool = False, **kwargs: Any) -> Any:
        """`gone_is_done` (DELETE): a 404 to a resent request means an earlier attempt did it.
        `idempotency_key` (POST): sent on every attempt, which makes the POST safe to resend;
        `repeatable` (a POST such as cancel): doing it twice is doing it once."""
        headers = _request_headers(self._headers, idempotency_key)
        repeatable = repeatable or method in IDEMPOTENT or idempotency_key is not None
        attempt = 0
        while True:
            attempt += 1
            try:
                response = await self._http.request(method, self.base_url + path, headers=headers, **kwargs)
            except httpx.TransportError as error:
                wait = self.retry.wait_for_error(attempt, repeatable, error)
                if wait is None:
                    raise _connection_error(method, path, error) from error
                report(RetryEvent(method, path, attempt, wait, error=error), self.on_retry)
            else:
                if gone_is_done and attempt > 1 and response.status_code == 404:
                    return {}
                wait = self.retry.wait_for_status(attempt, response)
                if wait is None:
                    return _result(response)
                report(RetryEvent(method, path, attempt, wait, status_code=response.status_code), self.on_retry)
            await asyncio.sleep(wait)

    async def close(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.close()


class AsyncTasks(AsyncTaskControl):
    """`client.tasks` of an AsyncClient; `on_step` may be a plain function or a coroutine function."""

    def __init__(self, client: AsyncClient):
        self._client = client

    async def submit(self, task: str, *, end_user_id: str, session_id: str | None = None,
                     start_url: str | None = None, schema: dict | None = None, max_steps: int | None = None,
                     include_html_dump: bool | None = None, idempotency_key: str | None = None,
                     require_grounded: bool | None = None) -> Task:
        body = _submit_body(task, end_user_id, session_id, start_url, schema, max_steps, include_html_dump,
                            require_grounded)
        return Task.from_dict(await self._client._send("POST", "/v1/tasks", json=body,
                                                       idempotency_key=_new_key(idempotency_key)))

    async def get(self, task_id: str) -> Task:
        return Task.from_dict(await self._client._send("GET", _task_path(task_id)))

    async def list(self, *, session_id: str | None = None, end_user_id: str | None = None,
                   page_size: int | None = None, page_token: str | None = None) -> TaskPage:
        params = _list_params(session_id, end_user_id, page_size, page_token)
        return TaskPage.from_dict(await self._client._send("GET", "/v1/tasks", params=params))

    async def run(self, task: str, *, end_user_id: str, session_id: str | None = None, start_url: str | None = None,
                  schema: dict | None = None, max_steps: int | None = None, include_html_dump: bool | None = None,
                  timeout: float = 300.0, on_step: OnStep | None = None, raise_on_failure: bool = False,
                  poll_interval: float = 0.25, max_poll_interval: float = 2.0,
                  idempotency_key: str | None = None, require_grounded: bool | None = None) -> Task:
        submitted = await self.submit(task, end_user_id=end_user_id, session_id=session_id, start_url=start_url,
                                      schema=schema, max_steps=max_steps, include_html_dump=include_html_dump,
                                      idempotency_key=idempotency_key, require_grounded=require_grounded)
        return await self.wait(submitted.task_id, timeout=timeout, on_step=on_step, raise_on_failure=raise_on_failure,
                               poll_interval=poll_interval, max_poll_interval=max_poll_interval)

    async def wait(self, task_id: str, *, timeout: float = 300.0, on_step: OnStep | None = None,
                   raise_on_failure: bool = False, poll_interval: float = 0.25, max_poll_interval: float = 2.0) -> Task:
        progress = _Progress(on_step, timeout, poll_interval, max_poll_interval)
        while True:
            current = await self.get(task_id)
            for step in progress.new_steps(current):
                if inspect.isawaitable(outcome := on_step(step)):
                    await outcome
            if current.done:
                return _finish(current, raise_on_failure)
            await asyncio.sleep(progress.next_wait(current))


class AsyncCredentials:
    """`client.credentials` of an AsyncClient."""

    def __init__(self, client: AsyncClient):
        self._client = client

    async def put(self, end_user_id: str, domain: str, *, cookies: Sequence[Cookie] | None = None,
                  username: str | None = None, password: str | None = None) -> Credential:
        body = credential_body(cookies, username, password)
        return Credential.from_dict(await self._client._send("PUT", _credentials_path(end_user_id, domain), json=body))

    async def list(self, end_user_id: str) -> list[Credential]:
        return _credentials(await self._client._send("GET", _credentials_path(end_user_id)))

    async def delete(self, end_user_id: str, domain: str) -> None:
        await self._client._send("DELETE", _credentials_path(end_user_id, domain), gone_is_done=True)
