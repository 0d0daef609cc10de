"""Which database, and how to connect to it.

The embedded default is a SQLite file ``data/workbench.db`` under the repository root;
``WORKBENCH_DATABASE_URL`` (or an explicit URL) switches to PostgreSQL, e.g.
``postgresql+psycopg://user@host/db``.  A plain path instead of a URL means a SQLite file.

JSON columns are written with Decimals as exact JSON numbers and read back as Decimals, on
both backends, so money and scores survive storage digit for digit.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import simplejson
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from workbench.errors import InvalidInput

ROOT = Path(__file__).resolve().parents[2]
ENV_URL = "WORKBENCH_DATABASE_URL"
SQLITE_BUSY_TIMEOUT_MS = 5000
# Keys of PostgreSQL advisory locks, constants shared by every process of the workbench (the audit
# chain's is ``storage.audit_log.ADVISORY_KEY``).
STARTUP_LOCK_KEY = 5_172_010_389  # opening a database: migrating it and filling it on first start
MIGRATION_LOCK_KEY = 5_172_010_390  # one Alembic upgrade at a time


def default_path() -> Path:
    return ROOT / "data" / "workbench.db"


def database_url(explicit: str | Path | None = None) -> str:
    """The URL to use: an explicit URL or SQLite path, else the environment, else data/workbench.db."""
    chosen = str(explicit) if explicit else os.environ.get(ENV_URL, "").strip()
    if not chosen:
        chosen = str(default_path())
    if "://" in chosen:
        return chosen
    return f"sqlite:///{Path(chosen).expanduser().resolve()}"


def dumps(value: Any) -> str:
    """JSON with Decimals as exact numbers (1905.20 stays 1905.20) and Chinese kept readable."""
    return simplejson.dumps(value, use_decimal=True, ensure_ascii=False)


def loads(text: str | bytes) -> Any:
    """JSON with every number that has a fraction or exponent read as a Decimal.  An integer of
    more than 100 digits (stored before the limits) is read as a Decimal too: Python refuses to
    read one of over 4,300 digits as an int, and the row could then not even be listed."""
    return simplejson.loads(text, use_decimal=True, parse_int=_integer)


def _integer(digits: str) -> int | Decimal:
    return int(digits) if len(digits) <= 100 else Decimal(digits)


def content_hash(doc: Any) -> str:
    """SHA-256 of a document in canonical form (sorted keys), to tell whether two copies are equal."""
    canonical = simplejson.dumps(doc, use_decimal=True, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


SQLITE_CACHE_KIB = 32 * 1024  # per connection, filled only as pages are read


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")  # durable with WAL; each commit is still atomic
        # Pages kept by the connection (KiB when negative; SQLite's default is 2 MiB): a bureau's
        # evaluations table outgrows 2 MiB, and every scan of it then read each page again.
        cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    finally:
        cursor.close()


def safe_url(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return sa.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return url


def create_engine(url: str) -> Engine:
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError as exc:
        raise InvalidInput(
            f"数据库地址无效：“{url}”（应为 SQLite 文件路径或 postgresql+psycopg://… 形式）"
        ) from exc
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    try:
        engine = sa.create_engine(parsed, json_serializer=dumps, json_deserializer=loads)
    except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError) as exc:
        raise InvalidInput(f"数据库地址无效：“{safe_url(url)}”：{exc}") from exc
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    return engine


@contextmanager
def startup_lock(engine: Engine) -> Iterator[None]:
    """One process at a time opens (migrates, fills) a PostgreSQL database: app servers started
    together on a fresh database would otherwise each create the tables and all but one fail.
    A session-level advisory lock on a connection of its own, released when the block ends (or
    by the server when the process dies).  SQLite needs none here: one machine, one file."""
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as conn:
        conn.execute(sa.select(sa.func.pg_advisory_lock(STARTUP_LOCK_KEY)))
        conn.commit()
        try:
            yield
        finally:
            conn.execute(sa.select(sa.func.pg_advisory_unlock(STARTUP_LOCK_KEY)))
            conn.commit()
