"""Self-evaluations, reconciliation notes, expert panels and expert sheets (issue 6).

Revision ID: 0003_selfeval_panels
Revises: 0002_security
Create Date: 2026-11-26

New tables only: nothing stored before changes.  Each row hangs off an evaluation and goes with
it (ON DELETE CASCADE), like the evaluation's scores.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_selfeval_panels"
down_revision: str | Sequence[str] | None = "0002_security"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _versioned() -> list[sa.Column]:
    return [
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(), nullable=False),
    ]


def _evaluation_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["evaluation_id"],
        ["evaluations.id"],
        name=op.f(f"fk_{table}_evaluation_id_evaluations"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "self_evaluations",
        sa.Column("evaluation_id", sa.String(), nullable=False),
        sa.Column("doc", sa.JSON(), nullable=False),
        sa.Column("submitted", sa.Boolean(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("submitted_by", sa.String(), nullable=False),
        *_versioned(),
        _evaluation_fk("self_evaluations"),
        sa.PrimaryKeyConstraint("evaluation_id", name=op.f("pk_self_evaluations")),
    )
    op.create_table(
        "reconciliation_notes",
        sa.Column("evaluation_id", sa.String(), nullable=False),
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        *_versioned(),
        _evaluation_fk("reconciliation_notes"),
        sa.PrimaryKeyConstraint("evaluation_id", "code", name=op.f("pk_reconciliation_notes")),
    )
    op.create_table(
        "expert_panels",
        sa.Column("evaluation_id", sa.String(), nullable=False),
        sa.Column("method", sa.String(), nullable=False),
        sa.Column("experts", sa.JSON(), nullable=False),
        sa.Column("applied", sa.JSON(none_as_null=True), nullable=True),
        *_versioned(),
        _evaluation_fk("expert_panels"),
        sa.PrimaryKeyConstraint("evaluation_id", name=op.f("pk_expert_panels")),
    )
    op.create_table(
        "expert_sheets",
        sa.Column("evaluation_id", sa.String(), nullable=False),
        sa.Column("expert", sa.String(), nullable=False),
        sa.Column("expert_name", sa.String(), nullable=False),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        *_versioned(),
        _evaluation_fk("expert_sheets"),
        sa.PrimaryKeyConstraint("evaluation_id", "expert", name=op.f("pk_expert_sheets")),
    )


def downgrade() -> None:
    op.drop_table("expert_sheets")
    op.drop_table("expert_panels")
    op.drop_table("reconciliation_notes")
    op.drop_table("self_evaluations")
