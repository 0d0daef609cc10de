"""The login cookie: how a sign-in survives a page reload, out of reach of page script.

The cookie is set by the server, never by the page: ``Set-Cookie: workbench_login=<signed token>;
HttpOnly; SameSite=Strict; Path=/`` (``Secure`` over HTTPS), answered by the route ``/_wb/set``
(``ui.cookie_route``) that the ASGI entry ``serve.py`` adds to Streamlit (``st.App``).  The page only
hands the browser a single-use ticket of a few seconds (``services.cookie_tickets``): one line of our
own script (``st.html`` with ``unsafe_allow_javascript``, never user input) posts it to the route.
Unlike a custom component it sends nothing back, so it never causes an extra rerun.  The route trades
the ticket for a freshly signed token (``auth.issue_token``: it names the user, the server-side
session and the token's number; a newer token voids it; signing out ends the session) that lives as
long as the idle timeout.  Signing out trades a ticket that clears the cookie.  The browser sends the
cookie when a tab opens, and the app reads it from ``st.context.cookies``.
"""

from __future__ import annotations

import json
import logging
from urllib.parse import unquote

import streamlit as st

NAME = "workbench_login"
ROUTE = "/_wb/set"
log = logging.getLogger("workbench.ui")
_route = {"mounted": False, "warned": False}


def mark_mounted() -> None:
    """Called by ``cookie_route.routes()``: the server answers ``ROUTE`` in this process."""
    _route["mounted"] = True


def read() -> str | None:
    """The token the browser sent when this tab opened (None when there is none)."""
    return unquote(st.context.cookies.get(NAME) or "") or None


def send(ticket: str) -> None:
    """Have the browser trade ``ticket`` at ``ROUTE`` (drawn on every run until the next ticket; a
    ticket used already is refused and changes nothing)."""
    if not _route["mounted"] and not _route["warned"]:
        _route["warned"] = True
        log.warning("%s is not served: start the app with scripts/run (serve.py); a reload signs out", ROUTE)
    url = json.dumps(f"{ROUTE}?n={ticket}")
    st.html(
        f"<script>fetch({url}, {{method: 'POST', credentials: 'same-origin', cache: 'no-store'}});</script>",
        unsafe_allow_javascript=True,
    )
