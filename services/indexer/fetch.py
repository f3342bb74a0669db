"""Reads pages of the real web, or of local replicas named in STABLEBROWSE_HOST_MAP
(connect to the mapped ip:port over http, with the real Host header)."""
import urllib.parse

import httpx

USER_AGENT = "stablebrowse-indexer/1.0"


class FetchError(Exception):
    pass


class Fetcher:
    def __init__(self, host_map: dict[str, str], timeout_s: float = 5.0):
        self.host_map = host_map
        self.client = httpx.AsyncClient(timeout=timeout_s, follow_redirects=False,
                                        headers={"User-Agent": USER_AGENT})

    def target(self, url: str) -> tuple[str, str]:
        """(URL to request, Host header) for a canonical https URL."""
        parts = urllib.parse.urlsplit(url)
        host = (parts.hostname or "").lower()
        mapped = self.host_map.get(host)
        if mapped is None:
            return url, host
        return urllib.parse.urlunsplit(("http", mapped, parts.path or "/", parts.query, "")), host

    async def get(self, url: str, timeout_s: float | None = None) -> str:
        target, host = self.target(url)
        try:
            response = await self.client.get(target, headers={"Host": host},
                                             timeout=timeout_s if timeout_s is not None else httpx.USE_CLIENT_DEFAULT)
        except httpx.HTTPError as exc:
            raise FetchError(f"{url}: {type(exc).__name__}") from None
        if response.status_code != 200:
            raise FetchError(f"{url}: HTTP {response.status_code}")
        return response.text

    async def close(self) -> None:
        await self.client.aclose()
