"""The audit chain keyed: each record's hash becomes an HMAC-SHA256 under the server's key.

Revision ID: 0008_keyed_audit_chain
Revises: 0007_login_sessions
Create Date: 2026-12-07

Earlier releases chained plain SHA-256, which anyone able to write to the database could
recompute after dropping records.  The existing chain is checked as it was (SHA-256) and then
re-keyed in place (the append-only triggers are lifted for this transaction only); a closing
record says how many records were re-keyed and whether the old chain verified — a break found
in it stays on the record, it is not laundered by the re-keying.  The server's key is read only
when there are records.  Downgrading computes the plain hashes again.
"""

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from workbench.domain.audit import GENESIS, AuditRecord, legacy_hash, record_hash
from workbench.security import tokens

revision: str = "0008_keyed_audit_chain"
down_revision: str | Sequence[str] | None = "0007_login_sessions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("seq", "at", "username", "role", "event", "object", "before", "after", "result", "detail")
AUDIT = sa.table(
    "audit_log",
    *(sa.column(c, sa.JSON if c in ("before", "after") else None) for c in COLUMNS),
    sa.column("prev_hash"),
    sa.column("hash"),
)
SQLITE_TRIGGERS = (
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, '审计记录只能追加，不能修改'); END",
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, '审计记录只能追加，不能删除'); END",
)


def _records(conn: sa.Connection) -> list[AuditRecord]:
    rows = conn.execute(sa.select(AUDIT).order_by(AUDIT.c.seq)).mappings().all()
    return [AuditRecord(**dict(r)) for r in rows]


def _lift_triggers(conn: sa.Connection, lifted: bool) -> None:
    if conn.dialect.name == "postgresql":
        op.execute(f"ALTER TABLE audit_log {'DISABLE' if lifted else 'ENABLE'} TRIGGER USER")
    elif conn.dialect.name == "sqlite":
        if lifted:
            op.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
            op.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
        else:
            for statement in SQLITE_TRIGGERS:
                op.execute(statement)


def _rechain(records: list[AuditRecord], digest: Callable[[AuditRecord], str]) -> list[AuditRecord]:
    out, prev = [], GENESIS
    for rec in records:
        linked = AuditRecord(**{**rec.content(), "prev_hash": prev})
        out.append(AuditRecord(**{**linked.content(), "hash": digest(linked)}))
        prev = out[-1].hash
    return out


def _rewrite(conn: sa.Connection, records: list[AuditRecord]) -> None:
    _lift_triggers(conn, True)
    for rec in records:
        conn.execute(
            AUDIT.update().where(AUDIT.c.seq == rec.seq).values(prev_hash=rec.prev_hash, hash=rec.hash)
        )
    _lift_triggers(conn, False)


def upgrade() -> None:
    conn = op.get_bind()
    records = _records(conn)
    if not records:
        return
    old = _legacy_report(records)
    key = tokens.derived_key("audit-chain")
    keyed = _rechain(records, lambda r: record_hash(r, key))
    _rewrite(conn, keyed)
    closing = AuditRecord(
        seq=keyed[-1].seq + 1,
        at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00"),
        username="system",
        role="系统",
        event="审计日志改用密钥链",
        object="审计日志",
        before=None,
        after={"records": len(keyed)},
        result="成功" if old is None else "失败",
        detail=f"{len(keyed)} 条记录改用 HMAC-SHA256 密钥链；原 SHA-256 链"
        + ("校验通过" if old is None else f"在第 {old} 条处已断开（改用前即已断开）"),
        prev_hash=keyed[-1].hash,
    )
    sealed = AuditRecord(**{**closing.content(), "hash": record_hash(closing, key)})
    conn.execute(sa.insert(AUDIT).values(**sealed.content(), hash=sealed.hash))


def _legacy_report(records: list[AuditRecord]) -> int | None:
    """The first record where the old SHA-256 chain breaks, or None when it verifies."""
    prev = GENESIS
    for rec in records:
        if rec.prev_hash != prev or legacy_hash(rec) != rec.hash:
            return rec.seq
        prev = rec.hash
    return None


def downgrade() -> None:
    conn = op.get_bind()
    records = [r for r in _records(conn) if r.event != "审计日志改用密钥链"]
    _lift_triggers(conn, True)
    conn.execute(AUDIT.delete().where(AUDIT.c.event == "审计日志改用密钥链"))
    _lift_triggers(conn, False)
    _rewrite(conn, _rechain(records, legacy_hash))
