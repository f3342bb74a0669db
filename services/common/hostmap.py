"""STABLEBROWSE_HOST_MAP: serve real hostnames from local replicas (empty in production).

Format: "news.ycombinator.com=127.0.0.1:9101,en.wikipedia.org=127.0.0.1:9102".
"""


def parse(text: str) -> dict[str, str]:
    mapping = {}
    for entry in filter(None, (part.strip() for part in text.split(","))):
        host, sep, target = entry.partition("=")
        if not sep or not host.strip() or ":" not in target:
            raise ValueError(f"STABLEBROWSE_HOST_MAP: bad entry {entry!r}, expected host=ip:port")
        mapping[host.strip().lower()] = target.strip()
    return mapping


def chromium_resolver_rules(mapping: dict[str, str]) -> str | None:
    if not mapping:
        return None
    return ", ".join(f"MAP {host} {target}" for host, target in mapping.items())
