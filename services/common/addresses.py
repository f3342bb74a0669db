"""The one egress rule of every outbound connection a tenant can steer (the browser's pages,
webhooks): only globally routable unicast addresses, with IPv6 forms judged by the IPv4 address
they wrap."""
import ipaddress

NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


def embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address stands for (IPv4-mapped, 6to4, NAT64, Teredo,
    IPv4-compatible), or [] when it is a plain IPv6 address."""
    if address.ipv4_mapped:
        return [address.ipv4_mapped]
    if address.sixtofour:
        return [address.sixtofour]
    if address.teredo:
        return list(address.teredo)  # the relay server and the client it reaches
    if any(address in net for net in NAT64) or address in IPV4_COMPATIBLE:
        return [ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)]
    return []


def globally_routable(ip: str) -> bool:
    """The one egress rule (guard and proxy): only globally routable unicast addresses, judged
    on the IPv4 address an IPv6 form wraps. Refuses private, loopback, link-local, shared
    (100.64/10, where EKS pods live), benchmarking, reserved and metadata addresses."""
    address = ipaddress.ip_address(ip.split("%", 1)[0])
    if isinstance(address, ipaddress.IPv6Address):
        inner = embedded_ipv4(address)
        if inner:
            return all(a.is_global and not a.is_multicast for a in inner)
    return address.is_global and not address.is_multicast
