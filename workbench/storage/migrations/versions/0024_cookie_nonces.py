"""Single-use tickets the browser trades for the HttpOnly login cookie.

Revision ID: 0024_cookie_nonces
Revises: 0022_leader_reads_results
Create Date: 2026-12-07

``cookie_nonces``: the SHA-256 of a ticket the page hands to the browser, the session it stands
for (empty: clear the cookie) and when it lapses (seconds after it was issued).  The server's
``/_wb/set`` route deletes the row as it answers with ``Set-Cookie``, so a ticket works once.
A new table only.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024_cookie_nonces"
down_revision: str | Sequence[str] | None = "0022_leader_reads_results"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "cookie_nonces",
        sa.Column("nonce_hash", sa.String(), primary_key=True),
        sa.Column("session_id", sa.String(), nullable=False, server_default=""),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_cookie_nonces_expires_at", "cookie_nonces", ["expires_at"])


def downgrade() -> None:
    op.drop_table("cookie_nonces")
