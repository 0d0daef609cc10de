"""The server's side of the login cookie: ``POST /_wb/set?n=<ticket>`` answers ``Set-Cookie`` with
``HttpOnly; SameSite=Strict`` (and ``Secure`` when the request came over HTTPS, directly or through
a proxy that says so in ``X-Forwarded-Proto``).  Mounted by ``serve.py`` through ``st.App(routes=...)``;
the ticket is issued by the page (``login_cookie.send``) and traded by ``services.cookie_tickets``.
A refused ticket gets 403 and no cookie.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from workbench.errors import WorkbenchError
from workbench.services import cookie_tickets
from workbench.ui import backend, login_cookie

_NO_STORE = {"Cache-Control": "no-store"}


def routes() -> list[Route]:
    """The routes to add to Streamlit's server (and note that this process answers them)."""
    login_cookie.mark_mounted()
    return [Route(login_cookie.ROUTE, set_cookie, methods=["POST"])]


def set_cookie(request: Request) -> Response:
    """Trade the ticket ``n`` for the login cookie (a plain function: Starlette runs it in a thread)."""
    try:
        grant = cookie_tickets.exchange(backend.server_database().uow(), request.query_params.get("n", ""))
    except WorkbenchError:
        return Response(status_code=403, headers=_NO_STORE)
    answer = Response(status_code=204, headers=_NO_STORE)
    answer.set_cookie(
        login_cookie.NAME,
        grant.token,
        max_age=grant.max_age,
        path="/",
        secure=over_https(request),
        httponly=True,
        samesite="strict",
    )
    return answer


def over_https(request: Request) -> bool:
    forwarded = (request.headers.get("x-forwarded-proto") or "").split(",")[0].strip().lower()
    return request.url.scheme == "https" or forwarded == "https"
