"""The vault's sealing, key rotation and owner binding; the agent's placeholders and redaction."""
import json

import pytest

from services.browser.agent.fields import Field
from services.browser.agent.logins import Login, Logins, MissingLogin, playwright_cookie
from services.common import vault

OWNER = vault.owner("biz-1", "user-1", "social.example")


def test_seal_and_open_round_trip_without_the_plaintext_in_the_ciphertext():
    v = vault.Vault(vault.new_key())
    sealed = v.seal(b"correct horse battery staple", OWNER)
    assert b"correct horse" not in sealed.ciphertext and len(sealed.nonce) == 12
    assert v.open(sealed, OWNER) == b"correct horse battery staple"
    assert v.seal(b"x", OWNER).nonce != v.seal(b"x", OWNER).nonce


def test_a_ciphertext_does_not_open_for_another_owner():
    v = vault.Vault(vault.new_key())
    sealed = v.seal(b"secret", OWNER)
    with pytest.raises(vault.VaultError, match="wrong key or owner"):
        v.open(sealed, vault.owner("biz-2", "user-1", "social.example"))


def test_rotation_opens_with_the_previous_key_and_seals_with_the_current():
    old, new = vault.new_key(), vault.new_key()
    sealed = vault.Vault(old).seal(b"secret", OWNER)
    rotated = vault.Vault(new, previous=old)
    assert rotated.open(sealed, OWNER) == b"secret"
    assert rotated.seal(b"secret", OWNER).key_id == rotated.current_id != sealed.key_id
    with pytest.raises(vault.VaultError, match="unknown key"):
        vault.Vault(new).open(sealed, OWNER)


@pytest.mark.parametrize("key, message", [("", "not set"), ("not base64!", "not base64"), ("c2hvcnQ=", "32 bytes")])
def test_bad_keys_are_refused_with_the_reason(key, message):
    with pytest.raises(vault.VaultError, match=message):
        vault.Vault(key)


def logins() -> Logins:
    return Logins([Login("social.example", [{"name": "session", "value": "alice-7f3c2a9e4b1d8c6f",
                                              "domain": ".social.example", "path": "/", "http_only": True}],
                         "alice", "correct horse battery staple")])


def test_placeholders_are_filled_only_on_the_logins_own_site():
    assert logins().fill("{{password}}", Field("password", "social.example")) == "correct horse battery staple"
    assert logins().fill("{{username}}", Field("username", "m.social.example")) == "alice"
    assert logins().fill("plain text", Field("other", "evil.example")) == "plain text"
    with pytest.raises(MissingLogin, match="no saved login for evil.example"):
        logins().fill("{{password}}", Field("password", "evil.example"))
    with pytest.raises(MissingLogin):
        logins().fill("{{password}}", Field("password", "notsocial.example"))


def test_secrets_are_redacted_in_every_encoding():
    text = "pw=correct+horse+battery+staple&c=alice-7f3c2a9e4b1d8c6f correct horse battery staple"
    assert logins().redact(text) == "pw=[redacted]&c=[redacted] [redacted]"
    assert logins().redact("Alice Moreau @alice") == "Alice Moreau @alice"  # usernames are not secrets


def test_cookies_for_playwright():
    assert playwright_cookie(json.loads(json.dumps(logins().entries[0].cookies[0])) | {"expires": "1900000000"}) == {
        "name": "session", "value": "alice-7f3c2a9e4b1d8c6f", "domain": ".social.example", "path": "/",
        "httpOnly": True, "secure": False, "expires": 1900000000.0}
