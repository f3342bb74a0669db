"""Picking free ports for a stack started beside others (tests, benchmarks).

Ports are chosen below the kernel's ephemeral range. `bind(port 0)` and every outgoing
connection take their ports from that range, so a port picked there is free only for a moment:
any process may take it before the component that was given it binds it. That happened: a test
stack's Envoy found its listener port taken ("Address already in use"), died five times and
took the stack down. Below the range, only another stack picking at the same moment competes."""
import pathlib
import random
import socket

LOWEST = 10000
EPHEMERAL_RANGE = pathlib.Path("/proc/sys/net/ipv4/ip_local_port_range")
# Ports a dev stack started later with its defaults would want.
DEV_DEFAULTS = {8080, 8081, 9092, 9093, 9101, 9464, 9465, 9466, 9467, 9468, 9901, 27017}


def ephemeral_range() -> tuple[int, int]:
    try:
        low, high = (int(part) for part in EPHEMERAL_RANGE.read_text().split())
        return low, high
    except (OSError, ValueError):
        return 32768, 60999


def _bindable(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _outside_range(count: int, attempts: int, rng: random.Random) -> int | None:
    low, _ = ephemeral_range()
    if low - count <= LOWEST:
        return None
    for _ in range(attempts):
        base = rng.randrange(LOWEST, low - count)
        block = range(base, base + count)
        if not DEV_DEFAULTS.intersection(block) and all(_bindable(port) for port in block):
            return base
    return None


def _from_kernel(count: int, attempts: int) -> int:
    for _ in range(attempts):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            base = s.getsockname()[1]
        if all(_bindable(port) for port in range(base + 1, base + count)):
            return base
    raise RuntimeError(f"no block of {count} free ports")


def free_port_block(count: int = 1, attempts: int = 200, rng: random.Random | None = None) -> int:
    """The first of `count` consecutive ports free now, below the ephemeral range when it can."""
    base = _outside_range(count, attempts, rng or random.SystemRandom())
    return base if base is not None else _from_kernel(count, attempts)


def free_port() -> int:
    return free_port_block(1)


def free_ports(names: list[str], blocks: dict[str, int] | None = None) -> dict[str, int]:
    """A distinct free port (or block, for names in `blocks`) for each name."""
    chosen: dict[str, int] = {}
    used: set[int] = set()
    for name in names:
        count = (blocks or {}).get(name, 1)
        while True:
            base = free_port_block(count)
            block = set(range(base, base + count))
            if not used & block:
                break
        used |= block
        chosen[name] = base
    return chosen


if __name__ == "__main__":  # for shell scripts: python3 dev/stack/ports.py prints one free port
    print(free_port())
