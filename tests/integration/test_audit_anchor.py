"""The keyed audit chain and its anchor outside the database, on SQLite and PostgreSQL: records
cut off the end, a log emptied, a chain re-computed after dropping records, and missing
append-only triggers are all reported by ``workbench audit verify`` (exit code 1)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from actors import AUDITOR, CLI, add_accounts, audit_rows
from test_audit_log import raw, some_history
from typer.testing import CliRunner

from workbench.cli import app
from workbench.domain.audit import GENESIS, AuditRecord, legacy_hash, record_hash
from workbench.services import audit
from workbench.storage.audit_log import chain_key


@pytest.fixture
def history(editable_db):
    add_accounts(editable_db, AUDITOR)
    some_history(editable_db)
    return editable_db


def verify_cli(db, monkeypatch):
    monkeypatch.setenv("WORKBENCH_DATABASE_URL", db.url)
    return CliRunner().invoke(app, ["audit", "verify"])


def test_an_untouched_log_verifies_against_its_anchor(history, monkeypatch):
    result = verify_cli(history, monkeypatch)
    assert result.exit_code == 0, result.output
    assert "哈希链（HMAC）校验通过" in result.output and "链尾：序号" in result.output


def test_the_newest_records_deleted_are_found(history, monkeypatch):
    newest = audit_rows(history)[-1].seq
    raw(history, f"DELETE FROM audit_log WHERE seq > {newest - 2}", lift_triggers=True)

    report = audit.verify_audit(history.uow(), AUDITOR)
    result = verify_cli(history, monkeypatch)

    assert not report.ok
    assert f"链尾锚点为第 {newest} 条，数据库中只到第 {newest - 2} 条" in report.message
    assert result.exit_code == 1 and "最新的审计记录被删除" in result.output


def test_every_record_deleted_is_found(history):
    raw(history, "DELETE FROM audit_log", lift_triggers=True)
    report = audit.verify_audit(history.uow(), CLI)
    assert not report.ok and "数据库中一条记录也没有" in report.message


def rechain(db, digest) -> None:
    """Drop two records in the middle and chain the rest again with ``digest``, as someone with
    database access would."""
    with db.engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT * FROM audit_log ORDER BY seq")).mappings().all()
    kept = [dict(r) for r in rows if r["seq"] not in (3, 4)]
    prev, statements = GENESIS, ["DELETE FROM audit_log"]
    for seq, row in enumerate(kept, start=1):
        fields = {k: row[k] for k in AuditRecord.__dataclass_fields__ if k != "hash"}
        rec = AuditRecord(**{**fields, "seq": seq, "prev_hash": prev, "before": None, "after": None})
        rec = AuditRecord(**{**rec.content(), "hash": digest(rec)})
        prev = rec.hash
        values = ", ".join(
            "NULL" if v is None else ("'" + str(v).replace("'", "''") + "'") for v in rec.content().values()
        )
        statements.append(
            f"INSERT INTO audit_log (seq, at, username, role, event, object, before, after, result, detail, "
            f"prev_hash, hash) VALUES ({values}, '{rec.hash}')"
        )
    raw(db, ";".join(statements[:1]), lift_triggers=True)
    for statement in statements[1:]:
        raw(db, statement)


@pytest.mark.parametrize(
    "digest",
    [legacy_hash, lambda rec: record_hash(rec, chain_key())],
    ids=["plain SHA-256", "with the server's key"],
)
def test_a_log_rechained_after_dropping_records_is_found(history, digest):
    rechain(history, digest)
    report = audit.verify_audit(history.uow(), CLI)
    assert not report.ok
    assert "记录内容与哈希不符" in report.message or "链尾锚点" in report.message


def test_missing_append_only_triggers_are_reported(history):
    raw(history, "SELECT 1", lift_triggers=True, put_back=False)
    report = audit.verify_audit(history.uow(), CLI)
    assert not report.ok and "触发器缺失或被停用" in report.message


def test_the_migration_rekeys_an_unkeyed_chain_and_says_whether_it_verified(history):
    from alembic import command
    from alembic.script import ScriptDirectory

    from workbench.storage import migrate

    config = migrate.alembic_config()
    before_keying = ScriptDirectory.from_config(config).get_revision("0008_keyed_audit_chain").down_revision
    with history.engine.connect() as conn, conn.begin():  # back to the plain SHA-256 chain
        command.downgrade(migrate.alembic_config(conn), before_keying)
    with history.uow() as uow:
        plain = list(uow.audit.records())
    assert plain and all(legacy_hash(r) == r.hash for r in plain)

    migrate.upgrade(history.engine)

    report = audit.verify_audit(history.uow(), CLI)
    closing = [r for r in audit_rows(history) if r.event == "审计日志改用密钥链"]
    assert report.ok
    assert [c.detail for c in closing] == [
        f"{len(plain)} 条记录改用 HMAC-SHA256 密钥链；原 SHA-256 链校验通过"
    ]
