"""An evaluation's change tag (``etag``): renewed by every write to the evaluation or its parts.

Revision ID: 0004_evaluation_etag
Revises: 0003_selfeval_panels
Create Date: 2026-11-25

Readers keep a parsed copy of an evaluation per process and reuse it while its tag is the same,
so a page that reruns does one light query instead of loading and parsing every score again.
Existing rows get a random tag each.  The column stays nullable (see ``upgrade``); a row
without a tag is simply read without the cache.
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_evaluation_etag"
down_revision: str | Sequence[str] | None = "0003_selfeval_panels"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN (no table rebuild): on SQLite, rebuilding ``evaluations`` would drop it,
    # and ON DELETE CASCADE would take every score with it.  Left nullable for the same reason.
    op.add_column("evaluations", sa.Column("etag", sa.String(), nullable=True))
    evaluations = sa.table("evaluations", sa.column("id", sa.String()), sa.column("etag", sa.String()))
    conn = op.get_bind()
    for (evaluation_id,) in conn.execute(sa.select(evaluations.c.id)).all():
        conn.execute(
            evaluations.update().where(evaluations.c.id == evaluation_id).values(etag=uuid.uuid4().hex)
        )


def downgrade() -> None:
    op.execute("ALTER TABLE evaluations DROP COLUMN etag")  # native on SQLite ≥ 3.35: no rebuild
