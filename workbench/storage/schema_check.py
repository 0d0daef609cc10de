"""Whether a database is already at the newest schema, answered without loading Alembic (a third
of a second of every command and every server start that opens a database).

The newest revision is Alembic's own answer (``migrate.head()``), worked out once and kept on disk
(``workbench.disk_cache``, kind ``schema``) under a name made of the migration files' names, sizes
and modification times: adding or editing a migration gives a new name, so Alembic is asked
again.  A database whose ``alembic_version`` holds exactly that revision needs no upgrade; any
other answer (no table, another revision, an error) leaves the decision to Alembic.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from workbench.disk_cache import cache_dir, ready, trim

VERSIONS = Path(__file__).resolve().parent / "migrations" / "versions"
MAX_FILES = 16


def _signature() -> str:
    digest = hashlib.sha256()
    for path in sorted(VERSIONS.glob("*.py")):
        stat = path.stat()
        digest.update(f"{path.name}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def newest_revision() -> str:
    """``migrate.head()``, kept on disk by the migration files' signature."""
    name = f"{_signature()}.txt"
    try:
        kept = (cache_dir("schema") / name).read_text("ascii").strip()
    except (OSError, UnicodeDecodeError):
        kept = ""
    if kept:
        return kept
    from workbench.storage import migrate  # Alembic: once per set of migration files

    head = migrate.head()
    folder = ready("schema")
    if folder is not None:
        try:
            (folder / name).write_text(head, "ascii")
        except OSError:
            return head
        trim(folder, "*.txt", MAX_FILES)
    return head


def at_newest(engine: Engine) -> str | None:
    """The revision, when the database is known to be at the newest one; None when Alembic must look."""
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT version_num FROM alembic_version")).all()
    except sa.exc.DBAPIError:
        return None  # never migrated (no table), or not readable: Alembic will say
    if len(rows) != 1:
        return None
    head = newest_revision()
    return head if rows[0][0] == head else None
