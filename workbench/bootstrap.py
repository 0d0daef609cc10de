"""The composition root: where the app, the CLI and the benches get a database handle.

Nothing else wires storage to services.  ``ensure_database`` checks the server key, opens the
database (``url``, else WORKBENCH_DATABASE_URL, else data/workbench.db), upgrades it to the newest
schema, checks that the key is the one the database was first opened with (``storage.server_key``)
and, on first start, fills it with the shipped indicator systems, grade bands and the Yiyang case
— one process at a time (``storage.engine.startup_lock``: app servers started together on a fresh
PostgreSQL database take turns) (``services.bootstrap.seed_if_empty``).  What callers hold is a ``DatabaseHandle``
(``services.ports``): ``uow()`` for each service call, ``upgrade()``, ``dispose()``, its
``caches`` and ``url``/``backend``; the concrete class lives in ``storage.uow``.
"""

from __future__ import annotations

from pathlib import Path

from workbench.security import tokens
from workbench.services.actors import SYSTEM
from workbench.services.bootstrap import seed_if_empty
from workbench.storage import server_key
from workbench.storage.engine import database_url, safe_url, startup_lock
from workbench.storage.uow import Database, open_database

__all__ = ["Database", "database_url", "ensure_database", "open_database", "safe_url"]


def ensure_database(url: str | Path | None = None, *, seed: bool = True) -> Database:
    """The database, upgraded to the newest schema and (``seed``) filled on first start."""
    tokens.secret_key()  # a weak server key is refused before anything starts (``WeakSecretKey``)
    db = open_database(url)
    with startup_lock(db.engine):  # app servers started together on one database take turns
        db.upgrade()
        server_key.check(db.engine)  # every server on this database signs with the same key
        if seed:
            seed_if_empty(db.uow(), SYSTEM)
    return db
