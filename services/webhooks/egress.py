"""Which addresses a webhook may be sent to: globally routable ones only.

The same rule as the browser's egress (services/browser/guard.py, egress.py), written
small and separately here; the two can be merged into one function later. An IPv6 address
that carries an IPv4 one (IPv4-mapped, 6to4, NAT64) is judged by the IPv4 address inside."""
import asyncio
import ipaddress
import socket
from typing import cast

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
NAT64 = ipaddress.ip_network("64:ff9b::/96")


class Refused(Exception):
    """The host resolves to an address webhooks may not reach, or does not resolve."""


def embedded_ipv4(ip: IPAddress) -> IPAddress:
    """The IPv4 address an IPv6 address stands for, or the address itself."""
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return ip.ipv4_mapped
        if ip.sixtofour is not None:
            return ip.sixtofour
        if ip in NAT64:
            return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip


def is_public(ip: IPAddress) -> bool:
    inner = embedded_ipv4(ip)
    return inner.is_global and not inner.is_multicast


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
