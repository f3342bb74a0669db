"""The end user's logins for one task, opened from the vault: cookies for the fresh context,
and the values behind the {{username}} / {{password}} placeholders the model types.

The model only ever sees the placeholders. A placeholder is filled only on a page of the
login's own domain (or a subdomain), so a page elsewhere cannot collect it; secret values
are redacted from anything that leaves the browser (page text, answers, URLs, html_dump)."""
import dataclasses
import json
import logging
import urllib.parse

from services.common import vault

log = logging.getLogger(__name__)

USERNAME = "{{username}}"
PASSWORD = "{{password}}"
REDACTED = "[redacted]"
SAME_SITE = {"Strict", "Lax", "None"}


class MissingLogin(Exception):
    """A placeholder was typed on a page with no saved login for its site."""


@dataclasses.dataclass
class Login:
    domain: str
    cookies: list[dict]
    username: str = ""
    password: str = ""

    def covers(self, host: str) -> bool:
        host = host.lower().rstrip(".")
        return host == self.domain or host.endswith("." + self.domain)


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
        self._secrets = sorted({v for e in self.entries for v in self._variants(e)}, key=len, reverse=True)

    @classmethod
    def open(cls, sealer: vault.Vault | None, business_id: str, end_user_id: str, sealed: list) -> "Logins":
        """Opens what the claim carried; an entry that does not open is left out (and logged by domain)."""
        if sealed and sealer is None:
            log.warning("credentials stored but STABLEBROWSE_SECRET_KEY is not set: not used")
            return cls()
        entries = []
        for item in sealed:
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
    def _variants(login: Login) -> set[str]:
        values = {login.password, *(c.get("value", "") for c in login.cookies)}
        values = {v for v in values if len(v) >= 4}
        return values | {urllib.parse.quote_plus(v) for v in values} | {urllib.parse.quote(v, safe="") for v in values}

    def cookies(self) -> list[dict]:
        return [playwright_cookie(c) for e in self.entries for c in e.cookies]

    def for_host(self, host: str) -> Login | None:
        return next((e for e in self.entries if e.covers(host)), None)

    def fill(self, text: str, host: str) -> str:
        """`text` with placeholders replaced by this site's values; MissingLogin if it has none."""
        if USERNAME not in text and PASSWORD not in text:
            return text
        login = self.for_host(host)
        if login is None or not login.username:
            raise MissingLogin(f"no saved login for {host}")
        return text.replace(USERNAME, login.username).replace(PASSWORD, login.password)

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return text
