"""How pages reach the services: one database handle per process, a fresh unit of work per call
(on the session the page run holds: ``page_run``), and the one place where a ``WorkbenchError``
becomes Chinese messages on the screen.

Pages never open the database themselves: they call ``call`` (errors propagate) or ``attempt``
(errors are shown with ``st.error`` and the page goes on).  Nothing mutable is kept here: only the
database handles (``workbench.bootstrap``), one per URL per process, shared by the pages and the
server's own routes (``cookie_route``, which run outside any page run, where ``st.cache_resource``
would log a missing-context warning on every call); a test or a second database gets its own.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from workbench.bootstrap import database_url, ensure_database, safe_url
from workbench.errors import InvalidInput, WorkbenchError, explain, unexpected
from workbench.services import auth
from workbench.services.actors import Actor
from workbench.services.ports import DatabaseHandle, HeldSession, UnitOfWork
from workbench.ui import session
from workbench.ui.safe_text import plain_text
from workbench.ui.session import current_actor

T = TypeVar("T")
RECHECK_SECONDS = 10  # a service call this long after the gate's check checks the session again
log = logging.getLogger("workbench.ui")


_HANDLES: dict[str, DatabaseHandle] = {}
_OPENING = threading.Lock()  # one opening (migration, first-start seed) at a time


def _database(url: str) -> DatabaseHandle:
    found = _HANDLES.get(url)
    if found is None:
        with _OPENING:
            found = _HANDLES.get(url) or _HANDLES.setdefault(url, ensure_database(url))
    return found


def database() -> DatabaseHandle:
    """The database of WORKBENCH_DATABASE_URL (default data/workbench.db), migrated and seeded."""
    url = database_url()
    try:
        if url in _HANDLES:
            return _HANDLES[url]
        with st.spinner("正在打开数据库…"):
            return _database(url)
    except (SQLAlchemyError, OSError) as exc:
        known = explain(exc)
        if known is not None:
            raise known from exc
        detail = getattr(exc, "orig", None) or exc
        raise InvalidInput(
            f"无法打开数据库 {safe_url(url)}（文件损坏，或不是本系统的数据库）：{detail}"
        ) from exc


def server_database() -> DatabaseHandle:
    """``database()`` for the server's own routes (``cookie_route``), which run outside any page
    run: the same process-wide handle the pages use."""
    return _database(database_url())


def forget_databases() -> None:
    """Close every opened database; the next ``database()`` opens it anew (as a restarted server)."""
    with _OPENING:
        opened = list(_HANDLES.values())
        _HANDLES.clear()
    for handle in opened:
        handle.dispose()


# The session held by the page run in progress (a list holding it once opened), None outside one.
_RUN: ContextVar[list[HeldSession] | None] = ContextVar("session_of_page_run", default=None)


@contextmanager
def page_run() -> Iterator[None]:
    """Every service the block calls (one after the other) runs on one database session: one
    connection and, while they only read, one transaction for the whole page run, instead of one
    of each per call (each a round trip or more on PostgreSQL).  A service that writes still
    commits, or rolls back, on its own (``storage.uow.HeldSession``).  Opened at the first call,
    closed when the block ends.  Callbacks run before the page and so outside it."""
    held: list[HeldSession] = []
    token = _RUN.set(held)
    try:
        yield
    finally:
        _RUN.reset(token)
        for opened in held:
            opened.close()


def uow() -> UnitOfWork:
    """A unit of work for one service call: on the page run's session inside ``page_run``."""
    db, held = database(), _RUN.get()
    if held is None:
        return db.uow()
    if not held:
        held.append(db.held())
    return db.uow(held[0])


def call(service: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run one service with a fresh unit of work and the current user."""
    return service(uow(), _checked_actor(), *args, **kwargs)


def _checked_actor() -> Actor:
    """The current user; their session is checked again (``auth.check_session``) when the gate
    last checked it a while ago — i.e. in a button's callback, which runs before the gate does —
    so an account disabled meanwhile changes nothing with its next click."""
    actor = current_actor()
    checked = st.session_state.get(session.CHECKED_AT)
    if checked is None or time.monotonic() - checked > RECHECK_SECONDS:
        st.session_state[session.LOGIN] = auth.check_session(uow(), session.current_login())
        st.session_state[session.CHECKED_AT] = time.monotonic()
    return actor


def show_error(exc: BaseException, where: Any = st) -> None:
    """Draw an error: a ``WorkbenchError`` as its Chinese lines, anything else as one line
    (the traceback goes to the server log, never to the screen)."""
    known = explain(exc)
    if known is not None:
        lines = [plain_text(line) for line in known.messages]
        text = lines[0] if len(lines) == 1 else "\n".join(f"- {line}" for line in lines)
    else:
        text = unexpected(exc, log)
    where.error(text, icon="⚠️")


@dataclass(frozen=True)
class Result:
    """What ``attempt`` gives back: the service's value, or the error it raised."""

    value: Any = None
    error: WorkbenchError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def attempt(service: Callable[..., Any], *args: Any, **kwargs: Any) -> Result:
    """Like ``call``, but an error is returned rather than raised: a ``WorkbenchError`` as it
    is, a full disk or a read-only database named (``errors.explain``), anything else as the
    message with an error id (logged with its traceback) — a button's callback never shows a
    traceback."""
    try:
        return Result(value=call(service, *args, **kwargs))
    except WorkbenchError as exc:
        return Result(error=exc)
    except Exception as exc:  # Streamlit's rerun/stop signals are BaseExceptions and pass
        return Result(error=explain(exc) or WorkbenchError(unexpected(exc, log)))
