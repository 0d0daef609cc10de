"""TOTP secrets are stored sealed with SM4-GCM under a key derived (HKDF-SM3) from the server's key."""

from __future__ import annotations

import pytest

from workbench.security.sealing import PREFIX, SealBroken, is_sealed, seal, unseal

KEY = "unit-test-server-key-0123456789abcdef"
SECRET = "JBSWY3DPEHPK3PXP"


def test_a_sealed_secret_reveals_nothing_and_opens_with_the_same_key():
    sealed = seal(SECRET, "totp", secret=KEY)

    assert sealed.startswith(PREFIX) and SECRET not in sealed
    assert seal(SECRET, "totp", secret=KEY) != sealed  # a fresh nonce each time
    assert unseal(sealed, "totp", secret=KEY) == SECRET


@pytest.mark.parametrize(
    ("key", "purpose"), [("another-server-key-0123456789abcdef", "totp"), (KEY, "something-else")]
)
def test_another_key_or_purpose_cannot_open_it(key, purpose):
    with pytest.raises(SealBroken, match="与本服务器的密钥不符"):
        unseal(seal(SECRET, "totp", secret=KEY), purpose, secret=key)


def test_an_altered_value_is_refused_not_misread():
    sealed = seal(SECRET, "totp", secret=KEY)
    body = sealed[len(PREFIX) :]
    flipped = PREFIX + body[:-3] + ("A" if body[-3] != "A" else "B") + body[-2:]
    with pytest.raises(SealBroken):
        unseal(flipped, "totp", secret=KEY)
    with pytest.raises(SealBroken, match="损坏"):
        unseal(PREFIX + "短", "totp", secret=KEY)


def test_a_value_stored_before_sealing_is_read_as_it_is():
    assert not is_sealed(SECRET)
    assert unseal(SECRET, "totp", secret=KEY) == SECRET
