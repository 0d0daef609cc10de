"""Single-use tickets for the HttpOnly login cookie.

A page cannot send ``Set-Cookie``, and a cookie written by page script can be read by page script.
So the page never holds the cookie's value: it asks for a ticket (``issue``), a random string that
lapses after ``TICKET_SECONDS`` and names the session (or nothing: clear the cookie), and hands only
the ticket to the browser.  The browser posts it to the server's ``/_wb/set`` route
(``ui.cookie_route``), which trades it (``exchange``) for a freshly signed login token and answers
``Set-Cookie: workbench_login=...; HttpOnly; SameSite=Strict`` (``Secure`` over HTTPS).  A ticket
works once: the trade deletes it; an unknown, lapsed or used ticket is refused.  Only the SHA-256 of
a ticket is stored.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from workbench.errors import Forbidden
from workbench.services.auth import SessionEnded, issue_token
from workbench.services.ports import UnitOfWork
from workbench.services.users import now_utc

TICKET_SECONDS = 30  # from the page's run to the browser's request: well under a second in practice
MAX_TICKET = 128  # characters; a ticket is 43
REFUSED = "登录凭据交换失败（凭据无效、已使用或已过期）"


@dataclass(frozen=True)
class CookieGrant:
    """What ``/_wb/set`` answers: the cookie's value and life (empty and 0: clear it)."""

    token: str
    max_age: int


def issue(uow: UnitOfWork, session_id: str, *, now: datetime | None = None) -> str:
    """A new ticket for the session ``session_id`` ("" for a ticket that clears the cookie)."""
    ticket = secrets.token_urlsafe(32)
    expires = (now or now_utc()) + timedelta(seconds=TICKET_SECONDS)
    with uow:
        uow.cookie_nonces.add(_digest(ticket), session_id, expires)
        uow.commit()
    return ticket


def exchange(
    uow: UnitOfWork, ticket: str, *, key: str | None = None, now: datetime | None = None
) -> CookieGrant:
    """Trade a ticket for the cookie it stands for; ``Forbidden`` when the ticket is unknown, lapsed
    or already used, ``SessionEnded`` when its session ended meanwhile.  Either way the ticket is
    gone."""
    now = now or now_utc()
    if not ticket or len(ticket) > MAX_TICKET:
        raise Forbidden(REFUSED)
    with uow:
        session_id = uow.cookie_nonces.take(_digest(ticket), now)
        if not session_id:
            uow.commit()  # a lapsed ticket is deleted too
            if session_id is None:
                raise Forbidden(REFUSED)
            return CookieGrant("", 0)
        try:
            token = issue_token(uow, session_id, key=key, now=now)
        except SessionEnded:
            uow.commit()
            raise
        minutes = uow.settings.get().policy.idle_timeout_minutes
        uow.commit()
    return CookieGrant(token, minutes * 60)


def _digest(ticket: str) -> str:
    return hashlib.sha256(ticket.encode()).hexdigest()
