"""An index of the evaluations in the order lists show them (newest year first, then id): the
sidebar picker's page of 50 reads 50 index entries instead of sorting every evaluation.

Revision ID: 0030_evaluation_year_index
Revises: 0029_evaluation_status_index
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0030_evaluation_year_index"
down_revision: str | Sequence[str] | None = "0029_evaluation_status_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_evaluations_year_id", "evaluations", [sa.text("year DESC"), "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_evaluations_year_id", table_name="evaluations")
