"""The one egress rule: only globally routable addresses, IPv6 wrappings of IPv4 judged on
the IPv4 address they carry (issue: 100.64/10 and 6to4 of the metadata address got through)."""
import pytest

from services.browser.guard import globally_routable


@pytest.mark.parametrize("address", [
    "100.64.1.1",              # shared address space: pods on EKS custom networking
    "100.100.100.200",         # Alibaba metadata, inside 100.64/10
    "2002:a9fe:a9fe::",        # 6to4 of 169.254.169.254
    "2002:0a00:0001::1",       # 6to4 of 10.0.0.1
    "::ffff:10.0.0.1",         # IPv4-mapped
    "::ffff:127.0.0.1",
    "64:ff9b::a9fe:a9fe",      # NAT64 well-known prefix, 169.254.169.254
    "64:ff9b:1::a00:1",        # NAT64 local-use prefix, 10.0.0.1
    "2001:0:4136:e378:8000:63bf:f5ff:fffe",  # Teredo, client 10.0.0.1
    "::10.0.0.1",              # IPv4-compatible
    "192.0.0.1", "198.18.0.1", "198.19.255.254", "240.0.0.1", "255.255.255.255", "0.0.0.0",
    "224.0.0.1", "239.1.2.3",  # multicast
    "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
    "::1", "::", "fe80::1", "fe80::1%eth0", "fc00::1", "fd12:3456::1", "ff02::1", "2001:db8::1",
])
def test_addresses_that_are_not_globally_routable_are_refused(address):
    assert globally_routable(address) is False


@pytest.mark.parametrize("address", [
    "8.8.8.8", "1.1.1.1", "93.184.215.14", "2606:4700:4700::1111", "2a00:1450:4001:80b::200e",
    "::ffff:8.8.8.8",          # IPv4-mapped public address
    "2002:808:808::1",         # 6to4 of 8.8.8.8
    "64:ff9b::808:808",        # NAT64 of 8.8.8.8
])
def test_public_addresses_are_allowed(address):
    assert globally_routable(address) is True
