"""结果应用 overrides: the advice a person chose instead of the suggested one, with the reason.

Revision ID: 0027_result_use
Revises: 0025_rectification
Create Date: 2026-12-07

A new table only; nothing stored before changes (no evaluation has an override yet).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0027_result_use"
down_revision: str | Sequence[str] | None = "0025_rectification"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "result_use_overrides",
        sa.Column("evaluation_id", sa.String(), nullable=False),
        sa.Column("doc", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["evaluation_id"],
            ["evaluations.id"],
            name=op.f("fk_result_use_overrides_evaluation_id_evaluations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("evaluation_id", name=op.f("pk_result_use_overrides")),
    )


def downgrade() -> None:
    op.drop_table("result_use_overrides")
