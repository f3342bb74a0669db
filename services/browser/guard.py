"""Every request a task's browser makes passes here: replica hosts are served locally,
private, loopback, link-local and metadata addresses are refused unless allowed.

Chromium follows redirects itself and does not show the redirected requests to Playwright's
routes, so a page that redirects would lead the browser past this guard. Document requests
are therefore fetched here, and every hop of their redirect chain is checked before the
browser may follow it."""
import asyncio
import ipaddress
import socket
import urllib.parse

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Route

MAX_REDIRECTS = 10
METADATA_HOSTS = {"metadata.google.internal", "metadata", "instance-data"}


def forbidden_ip(ip: str) -> bool:
    address = ipaddress.ip_address(ip.split("%", 1)[0])
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return (address.is_private or address.is_loopback or address.is_link_local or address.is_multicast
            or address.is_reserved or address.is_unspecified or str(address) == "100.100.100.200")


def abort_reason(message: str) -> str:
    """The browser's error for a page load this guard could not fetch."""
    for needle, reason in (("ENOTFOUND", "namenotresolved"), ("EAI_AGAIN", "namenotresolved"),
                           ("ECONNREFUSED", "connectionrefused"), ("ETIMEDOUT", "timedout"),
                           ("ECONNRESET", "connectionreset")):
        if needle in message:
            return reason
    return "failed"


class RequestGuard:
    """One per task context; remembers which hosts it refused."""

    def __init__(self, host_map: dict[str, str], allowed_hosts: set[str]):
        self.host_map = host_map
        self.allowed = allowed_hosts
        self.blocked: set[str] = set()
        self.refusals: list[str] = []  # every refusal in order (here and by the egress proxy)
        self.blocked_navigation: str | None = None  # the host a page load was refused for
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
            await self._refuse(route, host or url.scheme)
        elif route.request.is_navigation_request():
            await self._navigate(route)
        else:
            await route.continue_()

    async def _refuse(self, route: Route, host: str) -> None:
        self.refuse(host)
        if route.request.is_navigation_request() and route.request.frame.parent_frame is None:
            self.blocked_navigation = host
        await route.abort("blockedbyclient")

    def refuse(self, host: str) -> None:
        self.blocked.add(host)
        self.refusals.append(host)

    async def _navigate(self, route: Route) -> None:
        """Fetches a page load here; if it redirects, checks each hop (fetching it without
        following) before handing the first response to the browser, which then follows."""
        try:
            response = await route.fetch(max_redirects=0)
        except PlaywrightError as exc:
            await route.abort(abort_reason(exc.message))
            return
        url, hop, fetched = route.request.url, response, []
        try:
            for _ in range(MAX_REDIRECTS):
                location = hop.headers.get("location")
                if not (300 <= hop.status < 400 and location):
                    break
                url = urllib.parse.urljoin(url, location)
                target = urllib.parse.urlsplit(url)
                host = (target.hostname or "").lower()
                if host in self.host_map:
                    break  # a local replica: nothing beyond it to check
                if target.scheme not in ("http", "https") or not await self._allowed(host):
                    await self._refuse(route, host or target.scheme)
                    return
                try:
                    hop = await route.request.frame.page.context.request.get(url, max_redirects=0)
                except PlaywrightError:
                    break  # unreachable: the browser's own attempt will fail the same way
                fetched.append(hop)
        finally:
            for extra in fetched:
                await extra.dispose()
        await route.fulfill(response=response)

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
