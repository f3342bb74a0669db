"""What the replica sites say: invented content rendered in each real site's markup.
Each module's `pages()` returns {relative path: text or bytes} for sites/<its HOST>/."""

import dataclasses


@dataclasses.dataclass(frozen=True)
class Alias:
    """A second path for the same page (e.g. /news for /): written as a relative symlink."""

    target: str


# What a page path holds: text, bytes, or an alias of another path.
Content = str | bytes | Alias
