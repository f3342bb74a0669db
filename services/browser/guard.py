"""A task's rule for where its browser may go: any address that is not globally routable
(private, loopback, link-local, shared, metadata, and IPv6 forms wrapping them) is refused
unless allowed, and so are schemes other than http(s).

The agent asks it before every page it opens itself (Agent.goto); every connection the
browser makes (subresources, scripts' requests, the redirects Chromium follows) goes through
the context's egress proxy (egress.py), which refuses by the same rule and records its
refusals here, and is also where hosts of STABLEBROWSE_HOST_MAP are sent to their local
replica. There is no Playwright route: a round trip to this process for every request of
every page (and no HTTP cache) bought nothing the proxy does not already refuse."""
import asyncio
import socket
import urllib.parse
from collections.abc import Set as AbstractSet
from typing import cast

from services.common.addresses import globally_routable

METADATA_HOSTS = {"metadata.google.internal", "metadata", "instance-data"}


async def resolve(host: str, port: int | None = None) -> list[str]:
    """The addresses `host` resolves to (OSError when it does not)."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [cast(str, info[4][0]) for info in infos]  # IP families: a str


class RequestGuard:
    """One per task context; remembers which hosts were refused, in order (here and by the
    egress proxy), so a failed page load can be told apart from a refused one."""

    def __init__(self, host_map: dict[str, str], allowed_hosts: AbstractSet[str]):
        self.host_map = host_map
        self.allowed = allowed_hosts
        self.blocked: set[str] = set()
        self.refusals: list[str] = []
        self._verdicts: dict[str, bool] = {}

    async def allows(self, address: str) -> bool:
        """Whether the browser may request this URL; a refusal is remembered (refusals)."""
        url = urllib.parse.urlsplit(address)
        host = (url.hostname or "").lower()
        if url.scheme in ("data", "blob", "about") or host in self.host_map:
            return True
        if url.scheme in ("http", "https") and await self._allowed(host):
            return True
        self.refuse(host or url.scheme)
        return False

    def refuse(self, host: str) -> None:
        self.blocked.add(host)
        self.refusals.append(host)

    async def _allowed(self, host: str) -> bool:
        if host in self.allowed:
            return True
        if host in METADATA_HOSTS:
            return False
        if host not in self._verdicts:
            self._verdicts[host] = await self._resolves_public(host)
        return self._verdicts[host]

    @staticmethod
    async def _resolves_public(host: str) -> bool:
        try:
            return globally_routable(host)
        except ValueError:
            pass  # a name, not an address literal
        try:
            addresses = await resolve(host)
        except OSError:
            return True  # unresolvable: let Chromium fail it as a navigation error
        return all(globally_routable(a) for a in addresses)
