"""TOTP secrets stored sealed (SM4-GCM under the server's key, ``security.sealing``).

Revision ID: 0005_sealed_totp
Revises: 0004_evaluation_etag
Create Date: 2026-11-25

Secrets stored in plain text by earlier releases are sealed in place; the column keeps its type.
The server's key is read only when there is a secret to seal (a database without second factors
upgrades without one).  Downgrading opens them again, with the same key.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from workbench.security.sealing import is_sealed, seal, unseal

revision: str = "0005_sealed_totp"
down_revision: str | Sequence[str] | None = "0004_evaluation_etag"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

USERS = sa.table("users", sa.column("username", sa.String()), sa.column("totp_secret", sa.String()))
PURPOSE = "totp"


def _rewrite(change) -> None:  # type: ignore[no-untyped-def]
    conn = op.get_bind()
    rows = conn.execute(sa.select(USERS.c.username, USERS.c.totp_secret).where(USERS.c.totp_secret.is_not(None)))
    for username, value in rows.all():
        new = change(value)
        if new != value:
            conn.execute(USERS.update().where(USERS.c.username == username).values(totp_secret=new))


def upgrade() -> None:
    _rewrite(lambda value: value if is_sealed(value) else seal(value, PURPOSE))


def downgrade() -> None:
    _rewrite(lambda value: unseal(value, PURPOSE))
