"""Storage: SQLAlchemy tables, repositories, the unit of work, migrations.

Only the services use it; pages and CLI commands call services.
"""

from workbench.storage.uow import Database, SqlUnitOfWork, open_database

__all__ = ["Database", "SqlUnitOfWork", "open_database"]
