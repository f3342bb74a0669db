"""What the replica sites say: invented content rendered in each real site's markup.
Each module's `pages()` returns {relative path: text or bytes} for sites/<its HOST>/."""
