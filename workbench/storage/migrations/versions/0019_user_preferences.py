"""Where each person left off: the evaluation they worked on last (reopened at sign-in).

Revision ID: 0019_user_preferences
Revises: 0008_keyed_audit_chain
Create Date: 2026-12-07

A new table only; nobody has a preference yet (the picker falls back as before).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019_user_preferences"
down_revision: str | Sequence[str] | None = "0008_keyed_audit_chain"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "user_preferences",
        sa.Column(
            "username",
            sa.String(),
            sa.ForeignKey("users.username", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("last_evaluation", sa.String(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("user_preferences")
