"""Sign-in sessions kept on the server, and the last TOTP time step each account used.

Revision ID: 0007_login_sessions
Revises: 0006_selfeval_return
Create Date: 2026-12-07

``login_sessions``: one row per sign-in; the login cookie names the row and the number of the
newest token issued for it, so signing out, a password change or reset, disabling the account
or changing its role ends the session on the server, and an older token stops working once a
newer one is issued.  ``users.totp_last_step``: a TOTP code is accepted once (its time step must
be newer than the last one accepted).  Plain CREATE TABLE / ADD COLUMN: no row is rewritten.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_login_sessions"
down_revision: str | Sequence[str] | None = "0006_selfeval_return"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "login_sessions",
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("username", sa.String(), sa.ForeignKey("users.username"), nullable=False, index=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("token_seq", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_reason", sa.String(), nullable=False, server_default=""),
    )
    op.add_column("users", sa.Column("totp_last_step", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE users DROP COLUMN totp_last_step")  # native on SQLite >= 3.35
    op.drop_table("login_sessions")
