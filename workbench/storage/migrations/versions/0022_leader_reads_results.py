"""The 领导 reads results, not working files: 佐证材料 and 自评表 leave its shipped permissions.

Revision ID: 0022_leader_reads_results
Revises: 0019_user_preferences
Create Date: 2026-12-07

Only a 领导 role still holding exactly the permissions an earlier release shipped is changed; a
role table the 安全管理员 has edited is left as it is.
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0022_leader_reads_results"
down_revision: str | Sequence[str] | None = "0019_user_preferences"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLE = "领导"
OLD = ["evaluation.view", "evaluation.report", "evidence.view", "selfeval.view", "dashboard.view"]
NEW = ["evaluation.view", "evaluation.report", "dashboard.view"]
ROLES = sa.table(
    "roles",
    sa.column("name"),
    sa.column("permissions", sa.JSON),
    sa.column("version"),
    sa.column("updated_at"),
    sa.column("updated_by"),
)


def _swap(before: list[str], after: list[str]) -> None:
    bind = op.get_bind()
    row = bind.execute(sa.select(ROLES.c.permissions, ROLES.c.version).where(ROLES.c.name == ROLE)).first()
    if row is None or sorted(row.permissions) != sorted(before):
        return
    bind.execute(
        ROLES.update()
        .where(ROLES.c.name == ROLE)
        .values(permissions=after, version=row.version + 1, updated_at=datetime.now(UTC), updated_by="system")
    )


def upgrade() -> None:
    _swap(OLD, NEW)


def downgrade() -> None:
    _swap(NEW, OLD)
