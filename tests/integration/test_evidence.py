"""Evidence per indicator on SQLite and PostgreSQL, in both stores (a folder, the database):
checked by content, renamed safely, stored by SHA-256, read back intact, cited in a deduction."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
import sqlalchemy as sa
from actors import EVALUATOR, REVIEWER, UNIT, YIYANG, add_accounts, audit_rows, reopen
from PIL import Image

from workbench.bootstrap import ensure_database
from workbench.errors import Conflict, Forbidden, InvalidInput, NotFound
from workbench.services import cases, evaluations, evidence
from workbench.storage.evidence import EvidenceBackend, FolderFiles
from workbench.storage.uow import open_database

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


def word() -> bytes:
    document = docx.Document()
    document.add_paragraph("人员名单")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture(params=["folder", "database"])
def store(request, database_url, tmp_path, database_templates):
    """The seeded, reopened database with evidence in a folder or in the database, and a unit account."""
    backend = (
        EvidenceBackend("folder", tmp_path / "evidence")
        if request.param == "folder"
        else EvidenceBackend("database")
    )
    database_templates.copy(database_url, seed=True)
    ensure_database(database_url).dispose()
    db = open_database(database_url, evidence=backend)
    reopen(db)
    add_accounts(db, UNIT)
    yield db
    db.dispose()


def test_a_unit_uploads_evidence_and_the_evaluator_sees_it_beside_the_indicator(store):
    pdf = evidence.upload_evidence(
        store.uow(), UNIT, YIYANG, "B21", "专业技术人员名单.pdf", PDF, note="2018年"
    )
    picture = evidence.upload_evidence(store.uow(), UNIT, YIYANG, "B21", "现场照片.png", png())
    evidence.upload_evidence(store.uow(), UNIT, YIYANG, "A11", "立项批复.docx", word())

    listed = evidence.list_evidence(store.uow(), EVALUATOR, YIYANG, "B21")
    opened = evidence.read_evidence(store.uow(), EVALUATOR, picture.id)

    assert [(e.name, e.mime, e.uploaded_by) for e in listed] == [
        ("专业技术人员名单.pdf", "application/pdf", "yiyang-unit"),
        ("现场照片.png", "image/png", "yiyang-unit"),
    ]
    assert opened.content == png() and opened.info.sha256 == picture.sha256
    assert pdf.citation == f"EV{pdf.id} 专业技术人员名单.pdf" and pdf.note == "2018年"
    assert len(evidence.list_evidence(store.uow(), REVIEWER, YIYANG)) == 3
    uploaded, read = audit_rows(store)[-2:]
    assert (uploaded.event, uploaded.object) == ("上传佐证材料", f"评价 {YIYANG} / 指标 A11 / EV{pdf.id + 2}")
    assert (read.event, read.username, read.object) == (
        "下载佐证材料",
        "zhang",
        f"评价 {YIYANG} / 指标 B21 / EV{picture.id}",
    )


def test_the_type_is_judged_by_content_not_by_the_name(store):
    with pytest.raises(InvalidInput, match="不支持的文件类型"):
        evidence.upload_evidence(
            store.uow(), UNIT, YIYANG, "B21", "合同.pdf", b"MZ\x90\x00 this is a program"
        )
    renamed = evidence.upload_evidence(store.uow(), UNIT, YIYANG, "B21", "照片.pdf", png())
    assert (renamed.name, renamed.mime) == ("照片.png", "image/png")
    assert evidence.list_evidence(store.uow(), EVALUATOR, YIYANG) == [renamed]


def test_a_hostile_name_cannot_leave_the_store(store, tmp_path):
    saved = evidence.upload_evidence(store.uow(), UNIT, YIYANG, "B21", "../../../etc/passwd.pdf", PDF)
    assert saved.name == "passwd.pdf"
    assert not (tmp_path.parent / "etc").exists()
    assert evidence.read_evidence(store.uow(), EVALUATOR, saved.id).content == PDF


def test_the_same_file_twice_is_stored_once(store):
    first = evidence.upload_evidence(store.uow(), UNIT, YIYANG, "B21", "a.pdf", PDF)
    second = evidence.upload_evidence(store.uow(), UNIT, YIYANG, "A11", "b.pdf", PDF)
    assert first.id != second.id and first.storage_key == second.storage_key == first.sha256


def test_a_file_changed_in_the_store_is_refused_not_served(store):
    saved = evidence.upload_evidence(store.uow(), UNIT, YIYANG, "B21", "a.pdf", PDF)
    with store.engine.begin() as conn:
        if store.evidence.kind == "folder":
            FolderFiles(store.evidence.folder).path(saved.storage_key).write_bytes(PDF + b"tampered")
        else:
            conn.execute(sa.text("UPDATE evidence_content SET data = :d"), {"d": PDF + b"tampered"})
    with pytest.raises(Conflict, match="SHA-256 不符，可能已被篡改"):
        evidence.read_evidence(store.uow(), EVALUATOR, saved.id)


def test_a_deduction_cites_uploaded_evidence_and_a_wrong_citation_is_refused(store):
    saved = evidence.upload_evidence(store.uow(), UNIT, YIYANG, "B21", "名单.pdf", PDF)
    version = evaluations.get_case(store.uow(), EVALUATOR, YIYANG).versions.of_score("B21")
    entry = {"deductions": [{"reason": "专业技术人员不足", "points": 1, "evidence": saved.citation}]}

    with pytest.raises(InvalidInput, match=r"引用的佐证材料“EV999 x\.pdf”不存在或不属于本评价"):
        evaluations.save_score(
            store.uow(),
            EVALUATOR,
            YIYANG,
            "B21",
            {"deductions": [{"reason": "x", "points": 1, "evidence": "EV999 x.pdf"}]},
            version,
        )
    evaluations.save_score(store.uow(), EVALUATOR, YIYANG, "B21", entry, version)

    node = evaluations.scorecard(store.uow(), EVALUATOR, YIYANG).find("B21")
    assert node.deductions[0].evidence == f"EV{saved.id} 名单.pdf"
    with pytest.raises(Conflict, match=f"佐证材料 EV{saved.id} 仍被指标 B21 的扣分引用，不能删除"):
        evidence.delete_evidence(store.uow(), UNIT, saved.id)


def test_evidence_of_another_evaluation_cannot_be_cited(store):
    other = cases.copy_evaluation(store.uow(), EVALUATOR, YIYANG, "copy")
    saved = evidence.upload_evidence(store.uow(), UNIT, other, "B21", "名单.pdf", PDF)
    with pytest.raises(InvalidInput, match="不存在或不属于本评价"):
        evaluations.save_score(
            store.uow(),
            EVALUATOR,
            YIYANG,
            "B21",
            {"deductions": [{"reason": "x", "points": 1, "evidence": saved.citation}]},
            1,
        )


def test_an_uncited_upload_can_be_deleted_and_its_deletion_is_audited(store):
    saved = evidence.upload_evidence(store.uow(), UNIT, YIYANG, "B21", "错传.pdf", PDF)
    evidence.delete_evidence(store.uow(), UNIT, saved.id)
    assert evidence.list_evidence(store.uow(), EVALUATOR, YIYANG) == []
    with pytest.raises(NotFound, match=f"找不到佐证材料 EV{saved.id}"):
        evidence.read_evidence(store.uow(), EVALUATOR, saved.id)
    assert audit_rows(store)[-1].event == "删除佐证材料"


def test_a_unit_uploads_only_to_its_own_projects_and_to_known_indicators(store):
    other = {"id": "other-project", "name": "另一单位的项目", "year": 2024, "unit": {"name": "另一局"}}
    other_id = cases.new_evaluation(store.uow(), EVALUATOR, other, "yiyang-2018", "excellent-good")
    with pytest.raises(Forbidden, match="只能访问本单位的项目"):
        evidence.upload_evidence(store.uow(), UNIT, other_id, "B21", "a.pdf", PDF)
    with pytest.raises(InvalidInput, match="指标 Z99"):
        evidence.upload_evidence(store.uow(), UNIT, YIYANG, "Z99", "a.pdf", PDF)


def test_a_file_over_the_size_limit_is_refused(store, monkeypatch):
    import workbench.formats.evidence as checks

    monkeypatch.setattr(checks, "MAX_BYTES", 1024)
    monkeypatch.setattr(checks.check_upload, "__defaults__", (1024,))
    with pytest.raises(InvalidInput, match="超过上限"):
        evidence.upload_evidence(store.uow(), UNIT, YIYANG, "B21", "big.pdf", PDF + b"0" * 2048)


def test_with_the_database_store_a_second_app_server_serves_the_same_file(database_url, tmp_path):
    ensure_database(database_url).dispose()
    server_a = open_database(database_url, evidence=EvidenceBackend("database"))
    server_b = open_database(database_url, evidence=EvidenceBackend("database"))
    reopen(server_a)
    add_accounts(server_a, UNIT)

    saved = evidence.upload_evidence(server_a.uow(), UNIT, YIYANG, "B21", "名单.pdf", PDF)
    served = evidence.read_evidence(server_b.uow(), EVALUATOR, saved.id)

    assert served.content == PDF
    assert not Path(tmp_path / "evidence").exists()
    server_a.dispose()
    server_b.dispose()


def test_the_store_is_chosen_by_the_environment(monkeypatch, tmp_path):
    from workbench.storage.evidence import evidence_backend

    monkeypatch.setenv("WORKBENCH_EVIDENCE_BACKEND", "database")
    assert evidence_backend("sqlite:////x/workbench.db").kind == "database"
    monkeypatch.setenv("WORKBENCH_EVIDENCE_BACKEND", "folder")
    monkeypatch.delenv("WORKBENCH_EVIDENCE_DIR", raising=False)
    assert evidence_backend(f"sqlite:///{tmp_path / 'w.db'}").folder == tmp_path / "evidence"
    monkeypatch.setenv("WORKBENCH_EVIDENCE_BACKEND", "s3")
    with pytest.raises(InvalidInput, match="佐证材料存储方式“s3”无效"):
        evidence_backend("sqlite:////x/workbench.db")
