"""The unit of work on SQLAlchemy, and the database handle that makes units of work.

``with uow:`` opens a session; ``uow.commit()`` commits it; leaving the block without a commit,
or through an exception, rolls everything back.  A unit of work is for one service call; the
``Database`` handle is what an application keeps (one per process, shared by threads).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Self

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from workbench.errors import Conflict
from workbench.storage.engine import create_engine, database_url
from workbench.storage.repository import SqlBandSets, SqlEvaluations, SqlProjects, SqlSystems


class SqlUnitOfWork:
    def __init__(self, sessions: sessionmaker[Session]):
        self._sessions = sessions
        self._session: Session | None = None

    def __enter__(self) -> Self:
        if self._session is not None:
            raise RuntimeError("a unit of work is already open; create one per service call")
        self._session = self._sessions()
        self.projects = SqlProjects(self._session)
        self.systems = SqlSystems(self._session)
        self.band_sets = SqlBandSets(self._session)
        self.evaluations = SqlEvaluations(self._session)
        return self

    def __exit__(self, *exc: object) -> None:
        session, self._session = self._session, None
        if session is not None:
            try:
                session.rollback()  # a no-op after commit
            finally:
                session.close()

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("the unit of work is not open (use `with uow:`)")
        return self._session

    def commit(self) -> None:
        try:
            self.session.commit()
        except sa.exc.IntegrityError as exc:
            self.session.rollback()
            raise Conflict(
                "保存失败：相同编号的记录刚被其他人创建，或所引用的记录已不存在；未保存任何内容"
            ) from exc

    def rollback(self) -> None:
        self.session.rollback()


@dataclass(frozen=True)
class Database:
    """One database: URL, engine and session factory.  Safe to share between threads (keep one
    per process, e.g. in ``st.cache_resource``); call ``uow()`` for each service call."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    def uow(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.sessions)

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(url: str | Path | None = None) -> Database:
    """A handle on the database named by ``url``, else ``WORKBENCH_DATABASE_URL``, else the
    SQLite file data/workbench.db.  Connects lazily; does not migrate (see ``migrate``)."""
    resolved = database_url(url)
    engine = create_engine(resolved)
    return Database(resolved, engine, sessionmaker(engine, expire_on_commit=False))
