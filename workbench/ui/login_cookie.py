"""The login cookie: how a sign-in survives a page reload.

Streamlit reads the browser's cookies (``st.context.cookies``, sent when the page opens) but
cannot write one.  extra-streamlit-components' ``CookieManager`` (a maintained component, a
hidden frame) writes it.  The value is the signed token of ``auth.login_token``: it names the
user and a stamp of the password, and expires with the idle timeout; the cookie is
``SameSite=Strict`` and ``Secure`` when the page is served over HTTPS (directly or behind a proxy
that says so in ``X-Forwarded-Proto``).  Signing out overwrites it with an expired empty value.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlparse

import extra_streamlit_components as stx
import streamlit as st

NAME = "workbench_login"
_KEY = "login_cookie"  # one component instance, kept mounted, whose arguments change
_HTTPS = "login_cookie_https"


def read() -> str | None:
    """The token the browser sent when this tab opened (None when there is none)."""
    return st.context.cookies.get(NAME) or None


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


def _set(value: str, life: timedelta) -> None:
    manager = stx.CookieManager(key=f"{_KEY}:all")
    manager.set(
        NAME,
        value,
        key=_KEY,
        path="/",
        expires_at=datetime.now(UTC) + life if life else datetime(1970, 1, 1, tzinfo=UTC),
        max_age=int(life.total_seconds()),
        secure=over_https(),
        same_site="strict",
    )
