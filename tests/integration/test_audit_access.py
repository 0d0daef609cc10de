"""What leaves the workbench is on the audit record, on SQLite and PostgreSQL: a generated report
or 评分表, a downloaded evidence file, an exported 自评表 or case folder — each names who and what."""

from __future__ import annotations

from actors import EVALUATOR, YIYANG, add_accounts, audit_rows

from workbench.services import cases, evidence, selfeval, stored_reports

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def newest(db):
    last = audit_rows(db)[-1]
    return last.username, last.event, last.object


def test_generating_exporting_and_downloading_are_each_audited(editable_db, tmp_path):
    add_accounts(editable_db, EVALUATOR)
    where = f"评价 {YIYANG}"

    stored_reports.report(editable_db.uow(), EVALUATOR, YIYANG, charts=False)
    assert newest(editable_db) == ("zhang", "生成报告", f"{where} / 报告")
    stored_reports.score_table(editable_db.uow(), EVALUATOR, YIYANG)
    assert newest(editable_db) == ("zhang", "生成评分表", f"{where} / 评分表")
    selfeval.export_selfeval(editable_db.uow(), EVALUATOR, YIYANG)
    assert newest(editable_db) == ("zhang", "导出自评表", f"{where} / 自评表")
    cases.export_case(editable_db.uow(), EVALUATOR, YIYANG, tmp_path / "case")
    assert newest(editable_db) == ("zhang", "导出案例", where)
    assert audit_rows(editable_db)[-1].detail == f"导出到 {tmp_path / 'case'}"

    uploaded = evidence.upload_evidence(editable_db.uow(), EVALUATOR, YIYANG, "B21", "合同.pdf", PDF)
    evidence.read_evidence(editable_db.uow(), EVALUATOR, uploaded.id)
    assert newest(editable_db) == ("zhang", "下载佐证材料", f"{where} / 指标 B21 / EV{uploaded.id}")
