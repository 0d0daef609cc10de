"""`workbench backup` / `restore` through the services: the database and the evidence in one zip,
round-tripped on SQLite, on PostgreSQL and across the two; a file that does not verify is
refused, and a restore that fails half-way changes nothing."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from actors import CLI, EVALUATOR, SYSADMIN, UNIT, YIYANG, add_accounts, audit_rows, reopen

from workbench.bootstrap import ensure_database
from workbench.errors import InvalidInput
from workbench.services import audit, backup, cases, evaluations, evidence
from workbench.storage.backup import signature
from workbench.storage.evidence import EvidenceBackend
from workbench.storage.tables import Base
from workbench.storage.uow import open_database

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


TEMPLATES: list = []  # the session's database templates (tests/conftest.py), for open_db


@pytest.fixture(autouse=True)
def _database_templates(database_templates):
    TEMPLATES[:] = [database_templates]


def open_db(url: str, folder: Path, *, seed: bool = True):
    TEMPLATES[0].copy(url, seed=seed)  # as ensure_database would make it, without 28 migrations
    ensure_database(url, seed=seed).dispose()
    return open_database(url, evidence=EvidenceBackend("folder", folder))


def worked_on(url: str, folder: Path):
    """A database with accounts, a reopened and rescored Yiyang case and an uploaded file."""
    db = open_db(url, folder)
    reopen(db)
    add_accounts(db, EVALUATOR, UNIT, SYSADMIN)
    saved = evidence.upload_evidence(db.uow(), UNIT, YIYANG, "B21", "名单.pdf", PDF)
    page = evaluations.get_case(db.uow(), EVALUATOR, YIYANG)
    entry = {"deductions": [{"reason": "人员不足", "points": 3, "evidence": saved.citation}]}
    evaluations.save_score(db.uow(), EVALUATOR, YIYANG, "B21", entry, page.versions.of_score("B21"))
    return db


def rows(db) -> dict[str, list]:
    """Every row of every table, for comparing two databases."""
    out = {}
    with db.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            if table.name in ("evidence_content",):
                continue
            found = conn.execute(sa.select(table).order_by(*table.primary_key)).all()
            out[table.name] = [tuple(str(v) for v in r if not hasattr(v, "tzinfo")) for r in found]
    return out


def state(db):
    case = evaluations.get_case(db.uow(), EVALUATOR, YIYANG)
    return (
        f"{case.scorecard.total}",
        case.case.evaluation.scores["B21"].model_dump(),
        [(r.seq, r.hash) for r in audit_rows(db)],
    )


def round_trip(source_url, target_url, tmp_path):
    source = worked_on(source_url, tmp_path / "source-evidence")
    before = state(source)
    summary = backup.create_backup(source.uow(), SYSADMIN, tmp_path / "backup.zip")
    target = open_db(target_url, tmp_path / "target-evidence", seed=False)
    restored = backup.restore_backup(target.uow(), CLI, tmp_path / "backup.zip")

    after = state(target)
    assert after[:2] == before[:2] and after[0] == "82.00"
    assert after[2][:-1] == before[2]  # the same chain, then the restore's own record
    assert audit_rows(target)[-1].event == "恢复备份"
    assert audit.verify_audit(target.uow(), CLI).ok
    cited = evaluations.get_case(target.uow(), EVALUATOR, YIYANG).case.evaluation.scores["B21"].deductions[0]
    ev_id = int(cited.evidence.split()[0][2:])
    assert evidence.read_evidence(target.uow(), EVALUATOR, ev_id).content == PDF
    assert summary.tables == restored.tables and summary.evidence_files == 1
    source.dispose()
    target.dispose()


def test_a_sqlite_backup_restores_onto_sqlite(tmp_path):
    round_trip(f"sqlite:///{tmp_path / 'source.db'}", f"sqlite:///{tmp_path / 'restored.db'}", tmp_path)


@pytest.mark.postgres
def test_postgresql_backup_restores_onto_postgresql(postgres_server, postgres_url, tmp_path):
    import uuid

    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(f"{postgres_server}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    round_trip(postgres_url, f"{postgres_server}/{name}", tmp_path)


@pytest.mark.postgres
def test_a_sqlite_backup_restores_onto_postgresql(postgres_url, tmp_path):
    round_trip(f"sqlite:///{tmp_path / 'source.db'}", postgres_url, tmp_path)


@pytest.mark.postgres
def test_a_postgresql_backup_restores_onto_sqlite(postgres_url, tmp_path):
    round_trip(postgres_url, f"sqlite:///{tmp_path / 'target.db'}", tmp_path)


def test_a_restore_replaces_what_the_target_held(database_url, tmp_path):
    db = worked_on(database_url, tmp_path / "evidence")
    backup.create_backup(db.uow(), SYSADMIN, tmp_path / "backup.zip")
    cases.copy_evaluation(db.uow(), EVALUATOR, YIYANG, "later-work")

    backup.restore_backup(db.uow(), SYSADMIN, tmp_path / "backup.zip")

    assert [r.id for r in evaluations.list_evaluations(db.uow(), EVALUATOR)] == [YIYANG]
    assert audit.verify_audit(db.uow(), CLI).ok
    db.dispose()


def rewrite(source: Path, target: Path, change, *, fix_manifest: bool, key_holder: bool = True) -> None:
    """Copy a backup zip, changing members (``change(name, data) -> data | None`` drops it); the
    manifest is signed again as someone holding the server's key would (``key_holder``), so the
    checks behind the signature are reached; without the key the old signature stays."""
    with zipfile.ZipFile(source) as old:
        members = {n: old.read(n) for n in old.namelist()}
    manifest = json.loads(members.pop("manifest.json"))
    old_signature = members.pop("manifest.sig")
    members = {n: change(n, d) for n, d in members.items()}
    members = {n: d for n, d in members.items() if d is not None}
    if fix_manifest:
        manifest["files"] = {n: hashlib.sha256(d).hexdigest() for n, d in members.items()}
    raw = json.dumps(manifest).encode()
    with zipfile.ZipFile(target, "w") as new:
        for n, d in members.items():
            new.writestr(n, d)
        new.writestr("manifest.json", raw)
        new.writestr("manifest.sig", signature(raw) if key_holder else old_signature)


@pytest.fixture
def backed_up(database_url, tmp_path):
    db = worked_on(database_url, tmp_path / "evidence")
    backup.create_backup(db.uow(), SYSADMIN, tmp_path / "backup.zip")
    cases.copy_evaluation(db.uow(), EVALUATOR, YIYANG, "work-after-the-backup")
    yield db, tmp_path / "backup.zip"
    db.dispose()


def flip(name: str, data: bytes, target: str) -> bytes:
    return data + b" " if name == target else data


@pytest.mark.parametrize(
    ("change", "fix_manifest", "message"),
    [
        (
            lambda n, d: flip(n, d, "tables/indicator_scores.json"),
            False,
            "tables/indicator_scores.json 与清单的 SHA-256 不符",
        ),
        (lambda n, d: None if n.startswith("evidence/") else d, False, "缺少清单列出的 evidence/"),
        (lambda n, d: None if n.startswith("evidence/") else d, True, "缺少佐证材料文件"),
        (
            lambda n, d: flip(n, d, "tables/audit_log.json").replace(b'"zhang"', b'"li"'),
            True,
            "审计日志被篡改或缺失",
        ),
        (
            lambda n, d: (
                d.replace(b'"project_id": "yiyang-smart-brain-2018"', b'"project_id": "nowhere"')
                if n == "tables/evaluations.json"
                else d
            ),
            True,
            "备份中表 evaluations 的数据不能写入数据库",
        ),
    ],
    ids=["changed table", "missing file", "missing evidence", "forged audit log", "broken reference"],
)
def test_a_backup_that_does_not_verify_or_load_changes_nothing(backed_up, change, fix_manifest, message):
    db, path = backed_up
    bad = path.with_name("bad.zip")
    rewrite(path, bad, change, fix_manifest=fix_manifest)
    before = rows(db)

    with pytest.raises(InvalidInput, match=message):
        backup.restore_backup(db.uow(), SYSADMIN, bad)

    after = rows(db)
    added = after.pop("audit_log")[len(before["audit_log"]) :]
    assert after == {k: v for k, v in before.items() if k != "audit_log"}
    assert [(r[4], r[8]) for r in added] == [("恢复备份", "失败")]  # the refusal is on the record
    assert audit.verify_audit(db.uow(), CLI).ok


def test_a_file_that_is_not_a_backup_is_refused(backed_up, tmp_path):
    db, _ = backed_up
    (tmp_path / "notes.zip").write_bytes(b"not a zip at all")
    with zipfile.ZipFile(tmp_path / "empty.zip", "w") as z:
        z.writestr("readme.txt", "hello")

    with pytest.raises(InvalidInput, match="无法读取或不是工作台的备份"):
        backup.restore_backup(db.uow(), SYSADMIN, tmp_path / "notes.zip")
    with pytest.raises(InvalidInput, match="没有签名"):
        backup.restore_backup(db.uow(), SYSADMIN, tmp_path / "empty.zip")


def test_a_backup_from_another_schema_revision_is_refused(backed_up):
    db, path = backed_up
    with zipfile.ZipFile(path) as old:
        members = {n: old.read(n) for n in old.namelist()}
    manifest = json.loads(members["manifest.json"])
    manifest["schema_revision"] = "0001_initial"
    members["manifest.json"] = json.dumps(manifest).encode()
    members["manifest.sig"] = signature(members["manifest.json"]).encode()
    with zipfile.ZipFile(path, "w") as new:
        for n, d in members.items():
            new.writestr(n, d)

    with pytest.raises(InvalidInput, match="备份的数据库结构版本为“0001_initial”"):
        backup.restore_backup(db.uow(), SYSADMIN, path)


def test_an_unknown_member_added_to_a_backup_is_refused(backed_up):
    db, path = backed_up
    with zipfile.ZipFile(path, "a") as z:
        z.writestr("tables/extra.json", "[]")
    with pytest.raises(InvalidInput, match=r"含有清单未列出的内容（tables/extra\.json）"):
        backup.restore_backup(db.uow(), SYSADMIN, path)


def test_a_backup_forged_without_the_servers_key_is_refused_before_anything_changes(backed_up):
    db, path = backed_up
    forged = path.with_name("forged.zip")
    hidden = b'"username": "zhang"'
    rewrite(
        path,
        forged,
        lambda n, d: d.replace(hidden, b'"username": "hidden"') if n == "tables/users.json" else d,
        fix_manifest=True,
        key_holder=False,
    )
    before = rows(db)

    with pytest.raises(InvalidInput, match="签名不符"):
        backup.restore_backup(db.uow(), SYSADMIN, forged)

    assert rows(db)["users"] == before["users"]


def _widen_evaluators(name: str, data: bytes) -> bytes:
    if name != "tables/roles.json":
        return data
    roles = json.loads(data)
    for role in roles:
        if role["name"] == "评价人员":
            role["permissions"] += ["workflow.review", "audit.view"]
    return json.dumps(roles).encode()


def test_a_backup_whose_role_table_breaks_the_three_administrators_is_refused(backed_up):
    db, path = backed_up
    bad = path.with_name("roles.zip")
    rewrite(path, bad, _widen_evaluators, fix_manifest=True)  # signed again: even a key holder
    before = rows(db)

    with pytest.raises(InvalidInput, match="角色表不符合三员分立"):
        backup.restore_backup(db.uow(), SYSADMIN, bad)

    assert rows(db)["roles"] == before["roles"]


def test_restoring_an_older_backup_keeps_the_audit_records_written_after_it(backed_up):
    db, path = backed_up
    with zipfile.ZipFile(path) as z:
        backed = json.loads(z.read("tables/audit_log.json"))
    log_before = audit_rows(db)

    backup.restore_backup(db.uow(), SYSADMIN, path)

    log_after = audit_rows(db)
    assert log_after[: len(log_before)] == log_before  # nothing rewound
    restored = log_after[-1]
    later = log_before[-1].seq - backed[-1]["seq"]
    assert restored.event == "恢复备份" and later > 0
    assert f"此后的 {later} 条记录" in restored.detail and "未回退" in restored.detail
    assert restored.after["audit"]["backup_head"]["seq"] == backed[-1]["seq"]
    assert audit.verify_audit(db.uow(), CLI).ok
