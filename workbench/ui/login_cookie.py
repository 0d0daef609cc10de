"""The login cookie: how a sign-in survives a page reload.

Streamlit reads the browser's cookies (``st.context.cookies``, sent when the page opens) but
has no call that writes one; ``st.html`` with ``unsafe_allow_javascript`` runs one line of our
own script (``document.cookie = ...``, never user input) in the page to write it.  Unlike a
custom component it sends nothing back, so writing the cookie never causes an extra rerun (a
rerun that could land after the user's next click and undo it).  The value is the signed token
of ``auth.login_token``: it names the user, the server-side session and the token's number (a newer
token voids it; signing out ends the session), and expires with the idle timeout; the cookie is
``SameSite=Strict`` and ``Secure`` when the page is served over HTTPS (directly or behind a proxy
that says so in ``X-Forwarded-Proto``).  Signing out overwrites it with an expired empty value.  Not HttpOnly: a page cannot send
``Set-Cookie`` (README, "HttpOnly — a known limit").
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from urllib.parse import quote, unquote, urlparse

import streamlit as st

NAME = "workbench_login"
_HTTPS = "login_cookie_https"


def read() -> str | None:
    """The token the browser sent when this tab opened (None when there is none)."""
    return unquote(st.context.cookies.get(NAME) or "") or None


def over_https() -> bool:
    """Whether this tab was opened over HTTPS (asked once per tab: it does not change)."""
    if _HTTPS not in st.session_state:
        forwarded = (st.context.headers.get("X-Forwarded-Proto") or "").lower()
        st.session_state[_HTTPS] = urlparse(st.context.url or "").scheme == "https" or forwarded == "https"
    return bool(st.session_state[_HTTPS])


def write(token: str, minutes: int) -> None:
    """Keep ``token`` in the browser for ``minutes`` (drawn on every run while signed in)."""
    _set(token, timedelta(minutes=minutes))


def expire() -> None:
    """Overwrite the cookie with an empty value that is already expired (signing out)."""
    _set("", timedelta(0))


def cookie_line(value: str, life: timedelta, *, secure: bool) -> str:
    """The ``document.cookie`` assignment for the login cookie (pure: tested without a browser)."""
    expires = datetime.now(UTC) + life if life else datetime(1970, 1, 1, tzinfo=UTC)
    parts = [
        f"{NAME}={quote(value, safe='')}",
        "Path=/",
        f"Max-Age={int(life.total_seconds())}",
        f"Expires={format_datetime(expires, usegmt=True)}",
        "SameSite=Strict",
    ]
    if secure:
        parts.append("Secure")
    return "; ".join(parts)


def _set(value: str, life: timedelta) -> None:
    line = cookie_line(value, life, secure=over_https())
    st.html(f"<script>document.cookie = {json.dumps(line)};</script>", unsafe_allow_javascript=True)
