"""The end user's logins for one task, opened from the vault: cookies for the fresh context,
and the values behind the {{username}} / {{password}} placeholders the model types.

The model only ever sees the placeholders. A placeholder is filled only into the field it
names ({{password}}: a password input; {{username}}: a username or email input), on a page of
the login's own registrable domain (public suffix list, shipped offline by `publicsuffixlist`),
in a form that sends there; so neither a page elsewhere nor a comment box on the site can
collect it. Secret values (the password, and cookie values that look like secrets) are
redacted from anything that leaves the browser (page text, answers, data, URLs, html_dump)
in every encoding redact.py knows."""
import dataclasses
import functools
import ipaddress
import json
import logging
import urllib.parse

from publicsuffixlist import PublicSuffixList

from services.browser.agent.fields import Field
from services.browser.agent.redact import Redactor
from services.common import vault

log = logging.getLogger(__name__)

USERNAME = "{{username}}"
PASSWORD = "{{password}}"
SAME_SITE = {"Strict", "Lax", "None"}
SECRET_COOKIE_MIN = 8  # shorter cookie values (`true`, `en`, `1`) are preferences, not secrets


class MissingLogin(Exception):
    """A placeholder was typed on a page with no saved login for its site."""


class PlaceholderRefused(Exception):
    """A placeholder was typed into a field it does not name, or a form that sends elsewhere."""


@functools.cache
def _suffixes() -> PublicSuffixList:
    return PublicSuffixList()  # the list bundled with the package: never fetched


def registrable(host: str) -> str | None:
    """The registrable domain (eTLD+1) of host; an IP address is its own; None for a public suffix."""
    host = host.lower().strip("[]").rstrip(".")
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    return _suffixes().privatesuffix(host) if host else None


def secret_cookie(value: str) -> bool:
    """A session token looks like one: long, and not a single kind of character (a word, a number)."""
    kinds = sum(any(test(c) for c in value) for test in (str.islower, str.isupper, str.isdigit,
                                                         lambda c: not c.isalnum()))
    return len(value) >= SECRET_COOKIE_MIN and kinds >= 2


@dataclasses.dataclass
class Login:
    domain: str
    cookies: list[dict]
    username: str = ""
    password: str = ""

    def covers(self, host: str) -> bool:
        """host is on this login's registrable domain."""
        site = registrable(host)
        return site is not None and site == registrable(self.domain)


def playwright_cookie(cookie: dict) -> dict:
    """A stored cookie (proto field names) as Playwright's add_cookies takes it."""
    out = {"name": cookie["name"], "value": cookie.get("value", ""), "domain": cookie["domain"],
           "path": cookie.get("path") or "/", "httpOnly": bool(cookie.get("http_only")),
           "secure": bool(cookie.get("secure"))}
    if cookie.get("expires") is not None:
        out["expires"] = float(cookie["expires"])
    if cookie.get("same_site") in SAME_SITE:
        out["sameSite"] = cookie["same_site"]
    return out


class Logins:
    def __init__(self, entries: list[Login] | None = None):
        self.entries = sorted(entries or [], key=lambda e: -len(e.domain))  # most specific first
        self.redactor = Redactor({v for e in self.entries for v in self._secrets(e)})

    @classmethod
    def open(cls, sealer: vault.Vault | None, business_id: str, end_user_id: str, sealed: list) -> "Logins":
        """Opens what the claim carried; an entry that does not open is left out (and logged by domain)."""
        if sealed and sealer is None:
            log.warning("credentials stored but STABLEBROWSE_SECRET_KEY is not set: not used")
            return cls()
        entries = []
        for item in sealed:
            assert sealer is not None  # refused above when there is something to open
            try:
                plain = sealer.open(vault.Sealed(item.key_id, item.nonce, item.ciphertext),
                                    vault.owner(business_id, end_user_id, item.domain))
            except vault.VaultError as exc:
                log.warning("credential not usable", extra={"domain": item.domain, "reason": str(exc)})
                continue
            data = json.loads(plain)
            entries.append(Login(item.domain, data.get("cookies", []), data.get("username", ""), data.get("password", "")))
        return cls(entries)

    @staticmethod
    def _secrets(login: Login) -> set[str]:
        return {login.password} | {c.get("value", "") for c in login.cookies if secret_cookie(c.get("value", ""))}

    def cookies(self) -> list[dict]:
        return [playwright_cookie(c) for e in self.entries for c in e.cookies]

    def for_host(self, host: str) -> Login | None:
        """The login for host's registrable domain; one stored for host or a parent of it first."""
        host = host.lower().rstrip(".")
        covering = [e for e in self.entries if e.covers(host)]
        nearest = (e for e in covering if host == e.domain or host.endswith("." + e.domain))
        return next(nearest, covering[0] if covering else None)

    def fill(self, text: str, field: Field) -> str:
        """`text` with placeholders replaced by the values of the login for the field's site;
        MissingLogin if it has none, PlaceholderRefused if the field is not the one named."""
        if USERNAME not in text and PASSWORD not in text:
            return text
        login = self.for_host(field.host)
        if login is None or not login.username:
            raise MissingLogin(f"no saved login for {field.host}")
        if PASSWORD in text and field.kind != "password":
            raise PlaceholderRefused("{{password}} can only be typed into a password field")
        if USERNAME in text and field.kind != "username":
            raise PlaceholderRefused("{{username}} can only be typed into a username or email field")
        target = (urllib.parse.urlsplit(field.action).hostname or "") if field.action else field.host
        if not login.covers(target):
            raise PlaceholderRefused(f"this form does not send to {login.domain}")
        return text.replace(USERNAME, login.username).replace(PASSWORD, login.password)

    def redact(self, text: str) -> str:
        return self.redactor.text(text)

    def redact_data(self, value: object) -> object:
        return self.redactor.data(value)
