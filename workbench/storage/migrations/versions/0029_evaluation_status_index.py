"""An index of the evaluations by status (with the id): 待办 and the lists of evaluations still
in work find them without reading every evaluation row.

Revision ID: 0029_evaluation_status_index
Revises: 0028_evaluation_totals
Create Date: 2026-12-07

At 2,400 evaluations the rows of ``evaluations`` (each with its header document) no longer fit
SQLite's page cache; the index holds just the two columns 待办 asks about first.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0029_evaluation_status_index"
down_revision: str | Sequence[str] | None = "0028_evaluation_totals"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_evaluations_status_id", "evaluations", ["status", "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_evaluations_status_id", table_name="evaluations")
