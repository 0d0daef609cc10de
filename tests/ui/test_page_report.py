"""报告: the report checks, and documents generated from the page that open and hold what was
scored: the Word report (read back with python-docx), the 评分表 (openpyxl) and a PDF."""

from __future__ import annotations

import io
import shutil

import pytest
from docx import Document
from openpyxl import load_workbook
from screen import button, shown, texts
from signin import PAGE_USER
from streamlit.testing.v1 import AppTest

from workbench.services import evaluations


def generate(at: AppTest) -> AppTest:
    at = button(at, "生成报告").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def download(at: AppTest, label: str, downloads) -> bytes:
    found = [b for b in at.get("download_button") if b.label == label]
    assert found, f"no download {label!r}"
    return downloads(found[0])


def docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_the_checklist_shows_the_quality_self_check_and_the_ledger_decisions_before_download(open_page):
    at = open_page("report")

    page = shown(at)
    assert "报告核对清单" in page and "报告质量自检：全部通过" in texts(at.success)
    assert "报告检查：0 个错误，1 个警告或提示。警告不妨碍生成报告草稿，会写入生成记录。" in texts(at.info)
    assert any("已处理（按笔误更正为 8.4 万元" in t for t in texts(at.text))
    assert any("评分表说明（不印入报告）" in t for t in texts(at.text))
    assert not at.get("download_button")


def test_a_rescored_copy_still_stating_83_is_refused_until_the_note_is_corrected(
    open_page, draft, app_db, downloads
):
    stored = evaluations.get_case(app_db.uow(), PAGE_USER, draft)
    entry = stored.case.evaluation.scores["A22"].model_dump()
    entry["deductions"][0]["points"] = "1"
    evaluations.save_score(app_db.uow(), PAGE_USER, draft, "A22", entry, stored.versions.of_score("A22"))

    at = generate(open_page("report", draft))
    errors = " ".join(texts(at.error))
    assert "评分表重构说明，字段「reconstructed」" in errors and "83 分" in errors
    assert not at.get("download_button")

    at.text_area(key="score_table_note_text").set_value("本评分表依据报告正文重构，总分84分，等级良好。")
    at = button(at, "保存说明").click().run()
    at = generate(at)

    assert not at.error, texts(at.error)
    text = docx_text(download(at, "下载 Word 报告（.docx）", downloads))
    assert "得分84分，被评为“良好”等级" in text and "重构" not in text
    assert "该项目后期维护与管理有待加强" in text
    sheet = load_workbook(io.BytesIO(download(at, "下载评分表（.xlsx）", downloads))).active
    values = [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
    assert "良好（总分 84 / 100）" in values and not [v for v in values if "重构" in v]


def test_an_undecided_ledger_warning_is_settled_on_the_page_and_the_signature_is_printed(
    open_page, draft, app_db, downloads
):
    stored = evaluations.get_case(app_db.uow(), PAGE_USER, draft)
    ev = stored.case.evaluation
    rest = [d.model_dump(mode="json") for d in ev.ledger_decisions[1:]]
    evaluations.update_header(
        app_db.uow(), PAGE_USER, draft, {"ledger_decisions": rest}, stored.versions.evaluation.version
    )

    at = open_page("report", draft)
    assert any("警告：" in t and "台账警告尚未处理" in t and "空调维修费" in t for t in texts(at.text))
    at.radio(key="ld_action_0").set_value("更正")
    at.text_input(key="ld_amount_0").set_value("8.4")
    at.text_input(key="ld_reason_0").set_value("合计须等于1905.2万元")
    at = button(at, "记录处理决定").click().run()
    assert not any("台账警告尚未处理" in t for t in texts(at.text))

    at.text_input(key="signature_organization").set_value("湖南某会计师事务所")
    at.text_input(key="signature_date").set_value("2019年6月")
    at.text_input(key="signature_unnamed").set_value("")
    at = generate(button(at, "保存落款").click().run())

    doc = Document(io.BytesIO(download(at, "下载 Word 报告（.docx）", downloads)))
    assert [p.text for p in doc.paragraphs if p.style.name == "落款"] == ["湖南某会计师事务所", "2019年6月"]
    assert "空调维修费8.40万元" in docx_text(download(at, "下载 Word 报告（.docx）", downloads))


def test_a_report_the_checks_stop_lists_the_errors_and_offers_no_download(open_page, draft, app_db):
    stored = evaluations.get_case(app_db.uow(), PAGE_USER, draft)
    evaluations.clear_score(app_db.uow(), PAGE_USER, draft, "A11", stored.versions.of_score("A11"))

    at = generate(open_page("report", draft))

    errors = " ".join(texts(at.error))
    assert "尚有末级指标未评分：A11（立项依据充分性）" in errors
    assert "报告未生成：检查发现 3 个错误，请先改正后重试" in errors  # the stale 83 note, twice
    assert not at.get("download_button")


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice（soffice）未安装，跳过 PDF 测试")
def test_a_pdf_is_offered_when_libreoffice_is_installed(open_page, downloads):
    at = open_page("report")
    next(c for c in at.checkbox if c.label == "同时生成 PDF").check()

    at = generate(at)

    assert download(at, "下载 PDF", downloads).startswith(b"%PDF")
