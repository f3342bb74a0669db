"""One HTTP attempt: POST the signed body to the checked address, never following a redirect."""
import dataclasses
import time

import httpx

from services.webhooks.egress import Refused, resolve_public

USER_AGENT = "stablebrowse-webhooks/1"


@dataclasses.dataclass
class Attempt:
    """What one attempt got: the receiver's status, or why there was none."""

    status_code: int | None
    error: str
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class Sender:
    def __init__(self, allowed_hosts: frozenset[str], timeout_seconds: float):
        self.allowed_hosts = allowed_hosts
        self.client = httpx.AsyncClient(timeout=timeout_seconds, follow_redirects=False, trust_env=False,
                                        headers={"user-agent": USER_AGENT})

    async def close(self) -> None:
        await self.client.aclose()

    async def send(self, url: str, headers: dict[str, str], body: bytes) -> Attempt:
        started = time.monotonic()
        try:
            target, extensions = await self.target(httpx.URL(url))
            request_headers = {**headers, "host": _host_header(httpx.URL(url))}
            async with self.client.stream("POST", target, content=body, headers=request_headers,
                                          extensions=extensions) as response:
                status, error = response.status_code, ""
        except Refused as exc:
            status, error = None, str(exc)
        except httpx.TimeoutException:
            status, error = None, "timeout: no answer in time"
        except httpx.HTTPError as exc:
            status, error = None, f"connection: {type(exc).__name__}"
        return Attempt(status, error, round((time.monotonic() - started) * 1000))

    async def target(self, url: httpx.URL) -> tuple[httpx.URL, dict]:
        """The URL to connect to: the checked address in place of the host name (so no
        second DNS answer can differ), with the name kept for TLS (SNI and certificate)."""
        if url.host.lower() in self.allowed_hosts:
            return url, {}
        address = await resolve_public(url.host, url.port or (443 if url.scheme == "https" else 80))
        extensions = {"sni_hostname": url.host} if url.scheme == "https" else {}
        return url.copy_with(host=str(address)), extensions


def _host_header(url: httpx.URL) -> str:
    host = f"[{url.host}]" if ":" in url.host else url.host
    return host if url.port is None else f"{host}:{url.port}"
