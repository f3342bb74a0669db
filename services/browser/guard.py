"""Every request a task's browser makes passes here: replica hosts are served locally,
private, loopback, link-local and metadata addresses are refused unless allowed."""
import asyncio
import ipaddress
import socket
import urllib.parse

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Route

METADATA_HOSTS = {"metadata.google.internal", "metadata", "instance-data"}


def forbidden_ip(ip: str) -> bool:
    address = ipaddress.ip_address(ip.split("%", 1)[0])
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return (address.is_private or address.is_loopback or address.is_link_local or address.is_multicast
            or address.is_reserved or address.is_unspecified or str(address) == "100.100.100.200")


class RequestGuard:
    """One per task context; remembers which hosts it refused."""

    def __init__(self, host_map: dict[str, str], allowed_hosts: set[str]):
        self.host_map = host_map
        self.allowed = allowed_hosts
        self.blocked: set[str] = set()
        self._verdicts: dict[str, bool] = {}

    async def handle(self, route: Route) -> None:
        try:
            await self._route(route)
        except PlaywrightError:
            pass  # the page or context went away while this request was in flight

    async def _route(self, route: Route) -> None:
        url = urllib.parse.urlsplit(route.request.url)
        host = (url.hostname or "").lower()
        if url.scheme in ("data", "blob", "about"):
            await route.continue_()
        elif host in self.host_map:
            await self._serve_mapped(route, url, host)
        elif url.scheme not in ("http", "https") or not await self._allowed(host):
            self.blocked.add(host or url.scheme)
            await route.abort("blockedbyclient")
        else:
            await route.continue_()

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
            return not forbidden_ip(host)
        except ValueError:
            pass  # a name, not an address literal
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
        except OSError:
            return True  # unresolvable: let Chromium fail it as a navigation error
        return not any(forbidden_ip(info[4][0]) for info in infos)

    async def _serve_mapped(self, route: Route, url, host: str) -> None:
        """http:// and https:// of a mapped host are both answered by its local plain-HTTP server."""
        local = urllib.parse.urlunsplit(("http", self.host_map[host], url.path or "/", url.query, ""))
        try:
            response = await route.fetch(url=local, headers={**route.request.headers, "host": host}, max_redirects=0)
        except PlaywrightError:
            await route.abort("connectionrefused")
            return
        await route.fulfill(response=response)
