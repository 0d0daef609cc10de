"""佐证材料: a project unit uploads evidence per indicator for its own project; a file that is not
pdf/docx/xlsx/jpg/png by its content is refused in Chinese; a 定稿 evaluation takes no upload;
the evaluator sees the files beside the indicator on 评分 and cites one in a deduction."""

from __future__ import annotations

from actors import UNIT
from screen import button, texts
from streamlit.testing.v1 import AppTest

from workbench.services import evaluations, evidence
from workbench.ui.evidence_panel import KINDS

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def upload(at: AppTest, eid: str, code: str, name: str, data: bytes) -> AppTest:
    """On 佐证材料: choose the indicator, pick the file, press 上传."""
    at = at.selectbox(key=f"evidence_code:{eid}").set_value(code).run()
    uploader = at.get("file_uploader")[0]
    assert KINDS in uploader.proto.label
    uploader.upload(name, data, "application/octet-stream")
    return button(at.run(), f"上传到指标 {code}").click().run()


def test_a_project_unit_uploads_a_pdf_for_an_indicator_of_its_project(open_page, draft, app_db):
    at = upload(open_page("evidence", draft, as_=UNIT), draft, "B21", "../../合同 扫描件.pdf", PDF)

    said = " ".join(texts(at.success))
    assert "已上传 EV" in said and "合同 扫描件.pdf（指标 B21" in said
    stored = evidence.list_evidence(app_db.uow(), UNIT, draft, "B21")
    assert [(e.name, e.uploaded_by, e.size) for e in stored] == [("合同 扫描件.pdf", UNIT.username, len(PDF))]
    assert any(stored[0].citation in m for m in texts(at.markdown))  # listed with its number


def test_a_text_file_named_pdf_is_refused_in_chinese_and_nothing_is_stored(open_page, draft, app_db):
    at = upload(open_page("evidence", draft, as_=UNIT), draft, "A11", "说明.pdf", "这只是一段文字".encode())

    assert any(
        "文件 说明.pdf" in e and "不支持的文件类型" in e and "PDF 文档" in e for e in texts(at.error)
    ), texts(at.error)
    assert evidence.list_evidence(app_db.uow(), UNIT, draft) == []


def test_a_finalised_evaluation_takes_no_upload(open_page):
    eid = "yiyang-smart-brain-2018-eval"
    at = upload(open_page("evidence", eid, as_=UNIT), eid, "A11", "合同.pdf", PDF)
    assert any("评价已定稿，不能再上传佐证材料" in e for e in texts(at.error))


def test_the_evaluator_sees_the_upload_beside_the_indicator_and_cites_it_in_a_deduction(
    open_page, draft, app_db
):
    upload(open_page("evidence", draft, as_=UNIT), draft, "A22", "绩效目标表.pdf", PDF)
    citation = evidence.list_evidence(app_db.uow(), UNIT, draft, "A22")[0].citation

    at = open_page("scoring", draft)
    at = at.selectbox(key=f"score_code:{draft}").set_value("A22").run()
    assert any(label.startswith("本指标的佐证材料（1 份）") for label in (e.label for e in at.expander))
    cite = at.selectbox(key=f"score:{draft}:A22:d0:evidence")
    assert citation in cite.options
    cite.set_value(citation)
    at = at.button(key=f"FormSubmitter:score:{draft}:A22:form-保存评分").click().run()

    assert not at.error, texts(at.error)
    saved = evaluations.get_case(app_db.uow(), UNIT, draft).case.evaluation.scores["A22"]
    assert saved.deductions[0].evidence == citation
