"""Indicator targets per project and year (a project across years).

Revision ID: 0026_project_periods
Revises: 0025_rectification
Create Date: 2026-12-07

``project_periods``: one row per project and year holding that year's indicator targets
(name, unit, 基期值, 年度目标值, 实际完成值, 偏差说明) as a JSON document, versioned like the
other editable rows.  A new table only; evaluations record their prior year in their header
document (``prior_evaluation``), which needs no migration.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026_project_periods"
down_revision: str | Sequence[str] | None = "0025_rectification"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "project_periods",
        sa.Column("project_id", sa.String(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("doc", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("project_id", "year", name=op.f("pk_project_periods")),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_project_periods_project_id_projects")
        ),
    )


def downgrade() -> None:
    op.drop_table("project_periods")
