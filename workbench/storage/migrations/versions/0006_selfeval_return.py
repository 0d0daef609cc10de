"""A submitted 自评表 can be sent back to the project unit: why, when and by whom.

Revision ID: 0006_selfeval_return
Revises: 0005_sealed_totp
Create Date: 2026-11-25

Plain ADD COLUMNs (no table rebuild, so SQLite keeps every row); existing forms were never sent
back: an empty reason and no time.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_selfeval_return"
down_revision: str | Sequence[str] | None = "0005_sealed_totp"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("self_evaluations", sa.Column("returned_reason", sa.Text(), server_default="", nullable=False))
    op.add_column("self_evaluations", sa.Column("returned_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("self_evaluations", sa.Column("returned_by", sa.String(), server_default="", nullable=False))


def downgrade() -> None:
    for column in ("returned_by", "returned_at", "returned_reason"):  # native on SQLite ≥ 3.35
        op.execute(f"ALTER TABLE self_evaluations DROP COLUMN {column}")
