"""Writes the replica web's static files: `python -m dev.replica.build` regenerates
dev/replica/sites/ from dev/replica/content/ (`--check` only reports drift).
The files are committed so what is served can be read as is; never edit them by hand."""
import argparse
import os
import pathlib
import shutil
import sys

from dev.replica.content import Alias, Content, airbnb, amazon, hn, wikipedia
from dev.replica.server import SITES_DIR

GENERATORS = {m.HOST: m.pages for m in (hn, wikipedia, amazon, airbnb)}  # social.example is dynamic


def _link_text(rel: str, alias: Alias) -> str:
    return os.path.relpath(alias.target, os.path.dirname(rel) or ".")


def generate() -> dict[str, dict[str, Content]]:
    """{host: {relative path: content}} for every static site."""
    return {host: pages() for host, pages in GENERATORS.items()}


def _encode(content: str | bytes) -> bytes:
    return content if isinstance(content, bytes) else content.encode("utf-8")


def drift(root: pathlib.Path = SITES_DIR) -> list[str]:
    """Files that differ from what the generators produce (missing, changed or stray)."""
    problems = []
    for host, files in generate().items():
        site = root / host
        on_disk = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()} if site.is_dir() else set()
        for rel, content in files.items():
            path = site / rel
            if isinstance(content, Alias):
                if not path.is_symlink() or os.readlink(path) != _link_text(rel, content):
                    problems.append(f"changed {host}/{rel}")
            elif not path.is_file() or path.is_symlink():
                problems.append(f"missing {host}/{rel}")
            elif path.read_bytes() != _encode(content):
                problems.append(f"changed {host}/{rel}")
        problems += [f"stray {host}/{rel}" for rel in sorted(on_disk - set(files))]
    return problems


def write(root: pathlib.Path = SITES_DIR) -> int:
    count = 0
    for host, files in generate().items():
        site = root / host
        if site.exists():
            shutil.rmtree(site)
        for rel, content in files.items():
            path = site / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, Alias):
                path.symlink_to(_link_text(rel, content))
            else:
                path.write_bytes(_encode(content))
            count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--check", action="store_true", help="report drift, write nothing")
    args = p.parse_args(argv)
    if args.check:
        problems = drift()
        print("\n".join(problems) or "replica sites are up to date")
        return 1 if problems else 0
    print(f"wrote {write()} files under {SITES_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
