"""Placeholders go only into the field they name, on the login's own registrable domain, in a
form that sends there; secret values are redacted in every spelling a page, URL or JSON
document can give them; short cookie values are not secrets."""
import pytest

from services.browser.agent.fields import Field
from services.browser.agent.logins import Login, Logins, MissingLogin, PlaceholderRefused, registrable

NASTY = "pä\"ss'wörd<&>"
COOKIE = "alice-7f3c2a9e4b1d8c6f"


def logins(password: str = NASTY, domain: str = "social.example", cookies: list | None = None) -> Logins:
    cookies = [{"name": "session", "value": COOKIE}] if cookies is None else cookies
    return Logins([Login(domain, cookies, "alice", password)])


@pytest.mark.parametrize("host, site", [
    ("social.example", "social.example"), ("m.social.example", "social.example"),
    ("www.example.co.uk", "example.co.uk"), ("a.github.io", "a.github.io"), ("github.io", None),
    ("co.uk", None), ("10.0.0.1", "10.0.0.1"),
])
def test_registrable_domain_comes_from_the_public_suffix_list(host, site):
    assert registrable(host) == site


def test_a_placeholder_fills_the_field_it_names_on_the_same_registrable_domain():
    assert logins().fill("{{password}}", Field("password", "social.example", "https://social.example/login")) == NASTY
    assert logins().fill("{{username}}", Field("username", "m.social.example", "https://auth.social.example/")) == "alice"
    assert logins().fill("{{password}}", Field("password", "social.example")) == NASTY  # no form: script-driven


@pytest.mark.parametrize("text, field", [
    ("{{password}}", Field("other", "social.example")),         # a comment box on the site
    ("{{password}}", Field("username", "social.example")),
    ("{{username}}", Field("other", "social.example")),
    ("{{username}}", Field("password", "social.example")),
    ("{{password}}", Field("password", "social.example", "https://evil.example/collect")),
    ("{{password}}", Field("password", "social.example", "javascript:void(0)")),
])
def test_a_placeholder_is_refused_in_another_field_or_a_form_that_sends_elsewhere(text, field):
    with pytest.raises(PlaceholderRefused):
        logins().fill(text, field)


def test_a_sibling_under_a_public_suffix_is_another_site():
    pages = Logins([Login("alice.github.io", [], "alice", "s3cret-pages")])
    with pytest.raises(MissingLogin, match="no saved login for mallory.github.io"):
        pages.fill("{{password}}", Field("password", "mallory.github.io"))


@pytest.mark.parametrize("spelling", [
    NASTY,
    'p\\u00e4\\"ss\'w\\u00f6rd<&>',                                  # JSON, ensure_ascii
    'pä\\"ss\'wörd\\u003c\\u0026\\u003e',                            # JSON with HTML-safe escapes
    "p&auml;&quot;ss&apos;w&ouml;rd&lt;&amp;&gt;",                   # named entities
    "p&#228;&#34;ss&#39;w&#246;rd&#60;&#38;&#62;",                   # decimal
    "p&#xE4;&#x22;ss&#x27;w&#xf6;rd&#x3c;&#x26;&#x3E;",              # hex, either case
    "p%C3%A4%22ss%27w%C3%B6rd%3C%26%3E",                             # percent-encoded UTF-8
    "p%c3%a4%22ss'w%c3%b6rd%3c&%3e",                                 # lower case, partly encoded
])
def test_the_password_is_redacted_in_every_spelling(spelling):
    assert logins().redact(f"<p>before {spelling} after</p>") == "<p>before [redacted] after</p>"


def test_spaces_as_plus_and_percent_20_are_redacted():
    spaced = logins("correct horse battery staple")
    text = "q=correct+horse+battery+staple&r=correct%20horse%20battery%20staple"
    assert spaced.redact(text) == "q=[redacted]&r=[redacted]"


def test_the_cookie_value_is_redacted_and_the_username_is_not():
    assert logins().redact(f"token={COOKIE}; by @alice") == "token=[redacted]; by @alice"


@pytest.mark.parametrize("value", ["true", "1", "en-US", "accepted", "1700000000"])
def test_short_or_plain_cookie_values_are_not_secrets(value):
    preferences = logins(cookies=[{"name": "pref", "value": value}])
    text = f"It is true: {value} was accepted on 1700000000."
    assert preferences.redact(text) == text


def test_structured_data_is_redacted_value_by_value():
    jar = logins(cookies=[{"name": "consent", "value": "true"}, {"name": "session", "value": COOKIE}])
    data = {"ok": True, "note": "true", "count": 3, "none": None, "items": [f"pw {NASTY}", {COOKIE: "k"}]}
    assert jar.redact_data(data) == {"ok": True, "note": "true", "count": 3, "none": None,
                                     "items": ["pw [redacted]", {"[redacted]": "k"}]}


def test_a_number_that_spells_a_secret_is_redacted():
    assert logins("20240611").redact_data({"pin": 20240611, "other": 7}) == {"pin": "[redacted]", "other": 7}


def test_the_login_stored_for_the_host_itself_is_preferred_on_its_registrable_domain():
    both = Logins([Login("accounts.social.example", [], "work", "w0rk-pass"), Login("social.example", [], "home", "h0me-pass")])
    assert both.fill("{{username}}", Field("username", "social.example")) == "home"
    assert both.fill("{{username}}", Field("username", "accounts.social.example")) == "work"
    assert both.fill("{{username}}", Field("username", "m.accounts.social.example")) == "work"
    assert both.fill("{{username}}", Field("username", "shop.social.example")) == "home"
