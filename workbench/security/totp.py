"""Optional TOTP second factor (RFC 6238) through pyotp.

A code is accepted once: ``accepted_step`` returns the time step a code belongs to, and the
sign-in stores it (``users.totp_last_step``); a code of that step or an older one is refused
afterwards, so a code seen over someone's shoulder or replayed from a log cannot sign in again.
"""

from __future__ import annotations

import hmac
import time

import pyotp

ISSUER = "财政绩效评价工作台"
WINDOW = 1  # steps of 30 s either side, for a phone whose clock is a little off


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, username: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def accepted_step(
    secret: str, code: str, last_step: int | None = None, at: float | None = None
) -> int | None:
    """The time step ``code`` is valid for (now, or one step either side), when it is newer than
    ``last_step``; None when the code is wrong or was already used."""
    code = (code or "").strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return None
    otp = pyotp.TOTP(secret)
    now = otp.timecode(time.time() if at is None else at)
    for step in range(now - WINDOW, now + WINDOW + 1):
        if (last_step is None or step > last_step) and hmac.compare_digest(otp.generate_otp(step), code):
            return step
    return None


def verify(secret: str, code: str) -> bool:
    """Whether ``code`` is valid now (enabling TOTP: no step has been used yet)."""
    return accepted_step(secret, code) is not None
