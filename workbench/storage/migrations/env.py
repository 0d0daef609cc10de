"""Alembic environment for the workbench database.

Run through ``workbench.storage.migrate`` (``workbench db upgrade``, and on app start), which
builds the Alembic config in code and passes an open connection in ``config.attributes``.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

from workbench.storage.tables import Base

config = context.config


def run(connection: sa.Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # SQLite cannot ALTER most things: later migrations copy-and-move tables in batch mode.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run(connection)
else:  # e.g. the alembic command line with sqlalchemy.url set
    engine = sa.create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as conn:
        run(conn)
    engine.dispose()
