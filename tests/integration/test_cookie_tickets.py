"""The HttpOnly login cookie's tickets, on SQLite and PostgreSQL: the page hands the browser a
ticket, the server's /_wb/set route trades it once for ``Set-Cookie: ...; HttpOnly;
SameSite=Strict`` (``Secure`` over HTTPS); a used, lapsed, wrong or ended-session ticket sets
nothing."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
import sqlalchemy as sa
from actors import EVALUATOR, PASSWORD, add_accounts
from starlette.applications import Starlette

from workbench.bootstrap import ensure_database
from workbench.errors import Forbidden
from workbench.services import auth, cookie_tickets
from workbench.services.users import now_utc
from workbench.storage.uow import Database
from workbench.ui import backend, cookie_route
from workbench.ui.login_cookie import NAME

KEY = "cookie-tickets-test-key-0123456789-abcdefghijk"


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def module_db(request, tmp_path_factory) -> Iterator[Database]:
    """One database for the module (each test signs in anew): setting one up costs seconds."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('tickets') / 'workbench.db'}"
    else:
        server = request.getfixturevalue("postgres_server")
        url = f"{server}/t_tickets_{uuid.uuid4().hex[:8]}"
        admin = sa.create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{url.rsplit("/", 1)[1]}"'))
        admin.dispose()
    yield from _database(url)


@pytest.fixture(scope="module")
def sqlite_db(tmp_path_factory) -> Iterator[Database]:
    yield from _database(f"sqlite:///{tmp_path_factory.mktemp('route') / 'workbench.db'}")


def _database(url: str) -> Iterator[Database]:
    db = ensure_database(url)
    add_accounts(db, EVALUATOR)
    yield db
    db.dispose()


def new_session(db: Database) -> str:
    return auth.login(db.uow(), EVALUATOR.username, PASSWORD, "").session_id


@pytest.fixture
def signed_in(module_db):
    return auth.login(module_db.uow(), EVALUATOR.username, PASSWORD, "")


def signs_in(db, token: str, key: str | None = KEY) -> bool:
    try:
        return auth.resume(db.uow(), token, key=key).username == EVALUATOR.username
    except auth.SessionEnded:
        return False


def test_a_ticket_is_traded_once_for_a_cookie_that_signs_in_for_the_idle_timeout(module_db, signed_in):
    ticket = cookie_tickets.issue(module_db.uow(), signed_in.session_id)

    grant = cookie_tickets.exchange(module_db.uow(), ticket, key=KEY)

    assert signs_in(module_db, grant.token) and grant.max_age == 30 * 60
    with pytest.raises(Forbidden, match="已使用"):
        cookie_tickets.exchange(module_db.uow(), ticket, key=KEY)
    assert signs_in(module_db, grant.token)  # the refused second trade issued no newer token


def test_a_lapsed_ticket_is_refused(module_db, signed_in):
    issued = now_utc()
    ticket = cookie_tickets.issue(module_db.uow(), signed_in.session_id, now=issued)
    later = issued + timedelta(seconds=cookie_tickets.TICKET_SECONDS + 1)

    with pytest.raises(Forbidden, match="已过期"):
        cookie_tickets.exchange(module_db.uow(), ticket, key=KEY, now=later)
    with pytest.raises(Forbidden):  # and it is gone, even for a clock set back
        cookie_tickets.exchange(module_db.uow(), ticket, key=KEY, now=issued)


@pytest.mark.parametrize("wrong", ["", "x" * 43, "y" * 10_000])
def test_a_wrong_ticket_is_refused(module_db, signed_in, wrong):
    cookie_tickets.issue(module_db.uow(), signed_in.session_id)
    with pytest.raises(Forbidden, match="凭据无效"):
        cookie_tickets.exchange(module_db.uow(), wrong, key=KEY)


def test_a_ticket_of_a_session_ended_meanwhile_sets_no_cookie_and_is_gone(module_db, signed_in):
    ticket = cookie_tickets.issue(module_db.uow(), signed_in.session_id)
    auth.logout(module_db.uow(), signed_in)

    with pytest.raises(auth.SessionEnded, match="已退出登录"):
        cookie_tickets.exchange(module_db.uow(), ticket, key=KEY)
    with pytest.raises(Forbidden):
        cookie_tickets.exchange(module_db.uow(), ticket, key=KEY)


def test_a_signing_out_ticket_clears_the_cookie(module_db):
    ticket = cookie_tickets.issue(module_db.uow(), "")
    assert cookie_tickets.exchange(module_db.uow(), ticket, key=KEY) == cookie_tickets.CookieGrant("", 0)


# --- the route, as the browser calls it ----------------------------------------------------------


@pytest.fixture
def route(sqlite_db, monkeypatch):
    """The route on a Starlette app of its own, over the SQLite database (the trade behind it is
    tested on both databases above)."""
    monkeypatch.setenv("WORKBENCH_DATABASE_URL", sqlite_db.url)  # under the key it was made with
    yield Starlette(routes=cookie_route.routes())  # the route opens the database as the server does
    backend.forget_databases()


def post(app, ticket: str, *headers: tuple[str, str], scheme: str = "http") -> tuple[int, list[str]]:
    """POST /_wb/set?n=ticket through the ASGI app; the status and the Set-Cookie lines."""
    scope = {
        "type": "http", "method": "POST", "path": "/_wb/set", "raw_path": b"/_wb/set",
        "query_string": f"n={ticket}".encode(), "root_path": "", "scheme": scheme, "http_version": "1.1",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers],
        "server": ("127.0.0.1", 8501), "client": ("127.0.0.1", 50000),
    }  # fmt: skip
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start = sent[0]
    return start["status"], [v.decode() for k, v in start["headers"] if k == b"set-cookie"]


def attributes(line: str) -> tuple[str, set[str]]:
    first, *rest = line.split("; ")
    return first.split("=", 1)[1], {a.lower() for a in rest}


def test_the_route_answers_set_cookie_httponly_and_strict_and_refuses_the_ticket_again(sqlite_db, route):
    ticket = cookie_tickets.issue(sqlite_db.uow(), new_session(sqlite_db))

    status, cookies = post(route, ticket)

    assert status == 204 and len(cookies) == 1 and cookies[0].startswith(f"{NAME}=")
    value, flags = attributes(cookies[0])
    assert {"httponly", "samesite=strict", "path=/", "max-age=1800"} <= flags and "secure" not in flags
    assert signs_in(sqlite_db, value, key=None)
    assert post(route, ticket) == (403, [])


@pytest.mark.parametrize(
    ("scheme", "headers"), [("https", ()), ("http", (("X-Forwarded-Proto", "https"),))], ids=["tls", "proxy"]
)
def test_the_cookie_is_secure_over_https(sqlite_db, route, scheme, headers):
    ticket = cookie_tickets.issue(sqlite_db.uow(), new_session(sqlite_db))
    status, cookies = post(route, ticket, *headers, scheme=scheme)
    assert status == 204 and "secure" in attributes(cookies[0])[1]


def test_signing_out_through_the_route_expires_the_cookie(sqlite_db, route):
    status, cookies = post(route, cookie_tickets.issue(sqlite_db.uow(), ""))
    value, flags = attributes(cookies[0])
    assert status == 204 and value in ("", '""') and "max-age=0" in flags and "httponly" in flags
