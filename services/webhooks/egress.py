"""Which addresses a webhook may be sent to: globally routable ones only.

The same rule as the browser's egress: services/common/addresses.py (an IPv6 address that
carries an IPv4 one — IPv4-mapped, 6to4, NAT64, Teredo — is judged by the IPv4 address inside)."""
import asyncio
import ipaddress
import socket
from typing import cast

from services.common.addresses import globally_routable

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class Refused(Exception):
    """The host resolves to an address webhooks may not reach, or does not resolve."""


def is_public(ip: IPAddress) -> bool:
    return globally_routable(str(ip))


async def resolve_public(host: str, port: int) -> IPAddress:
    """The address to connect to: every address the host resolves to must be public."""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        raise Refused(f"dns: {host} does not resolve") from None
    addresses = [ipaddress.ip_address(cast(str, info[4][0]).split("%")[0]) for info in infos]  # IP families: a str
    for address in addresses:
        if not is_public(address):
            raise Refused(f"blocked_address: {host} resolves to {address}, not a public address")
    if not addresses:
        raise Refused(f"dns: {host} does not resolve")
    return addresses[0]
