"""The cap on a task's html_dump, the same whichever path answered the task."""

LIMIT = 5 * 1024 * 1024
MARKER = "\n<!-- stablebrowse: html_dump truncated at 5 MiB -->"


def cap_html(html: str) -> str:
    """At most LIMIT bytes of UTF-8, cut on a character boundary and marked when cut."""
    data = html.encode()
    if len(data) <= LIMIT:
        return html
    return data[: LIMIT - len(MARKER.encode())].decode(errors="ignore") + MARKER
